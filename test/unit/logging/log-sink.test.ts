import { LogSink } from '../../../src/services/outbox/sinks/log-sink';
import { captureLogLines } from '../../support/log-capture';

describe('the outbox log sink', () => {
  it('when a checkout event about a guest cart is published, then the line keeps the event and hides the cart id everywhere', async () => {
    const cartId = '7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const lines = await captureLogLines(() =>
      new LogSink().publish({
        id: 'evt-1',
        type: 'checkout.compensated',
        aggregateId: cartId,
        payload: { orderId: null, cartId, sagaId: 'saga-1', reason: 'PAYMENT_DECLINED' },
        createdAt: new Date('2026-01-01T00:00:00Z'),
      }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(cartId);
    expect(JSON.parse(lines[0])).toMatchObject({
      event: 'outbox.event',
      eventId: 'evt-1',
      type: 'checkout.compensated',
      aggregateId: '[redacted]',
      payload: { orderId: null, cartId: '[redacted]', sagaId: 'saga-1', reason: 'PAYMENT_DECLINED' },
    });
  });
});
