import { OutboxEvent, OutboxEventStatus } from '../../../src/entities';
import { transition } from '../../../src/services/state/transition';
import { outboxRelayWorker } from '../../../src/services/workers/outbox-relay.worker';
import { startTestApp, type TestApp } from '../../support/test-app';
import { commitEvents } from '../outbox/support/commit-events';
import { EventReceiver } from '../outbox/support/event-receiver';

const OUTBOX_EVENTS = `query($status: OutboxEventStatus) {
  outboxEvents(status: $status) { nodes { id type aggregateId status attempts lastError deliveredAt } pageInfo { hasNextPage } }
}`;
const REPLAY = 'mutation($id: ID!) { replayOutboxEvent(input: { id: $id }) { id status attempts lastError } }';

describe('outbox operations over GraphQL', () => {
  let receiver: EventReceiver;
  let app: TestApp;
  beforeAll(async () => {
    receiver = await new EventReceiver().start();
    app = await startTestApp({ OUTBOX_HTTP_SINK_URLS: receiver.url, OUTBOX_MAX_ATTEMPTS: '2' });
  });
  beforeEach(async () => {
    await app.reset();
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  const row = (id: string) => app.orm.em.fork().findOneOrFail(OutboxEvent, { id });
  /** One round of the app's own relay worker (its sink and OUTBOX_MAX_ATTEMPTS) at the event's next attempt time. */
  const relayRound = async (id: string) => outboxRelayWorker(app.tillgate.deps).runOnce(app.orm.em.fork(), (await row(id)).nextAttemptAt);

  it('when a sink keeps failing, then the event shows in outboxEvents(status: DEAD) and a replay delivers it with the same event id', async () => {
    const [event] = await commitEvents(app.orm, 1);
    receiver.answerNext(503, 503);
    await relayRound(event.id);
    await relayRound(event.id);
    const token = await app.adminToken();

    const dead = await app.gql(OUTBOX_EVENTS, { status: 'DEAD' }, { token });
    const replayed = await app.gql(REPLAY, { id: event.id }, { token });
    await relayRound(event.id);
    const delivered = await app.gql(OUTBOX_EVENTS, { status: 'DELIVERED' }, { token });

    expect(dead.errors).toBeUndefined();
    expect(dead.data.outboxEvents.nodes).toEqual([
      expect.objectContaining({
        id: event.id,
        type: 'order.placed',
        status: 'DEAD',
        attempts: 2,
        lastError: expect.stringContaining('answered 503'),
        deliveredAt: null,
      }),
    ]);
    expect(replayed.data.replayOutboxEvent).toEqual({ id: event.id, status: 'PENDING', attempts: 0, lastError: expect.stringContaining('503') });
    expect(receiver.ids()).toEqual([event.id, event.id, event.id]);
    expect(delivered.data.outboxEvents.nodes).toEqual([expect.objectContaining({ id: event.id, status: 'DELIVERED', attempts: 1, lastError: null })]);
  });

  it('when no status is given, then the dead and the retrying events are listed, newest first, and delivered ones are not', async () => {
    const [dead, retrying, delivered] = await commitEvents(app.orm, 3);
    await transition(app.orm.em.fork(), OutboxEvent, dead.id, OutboxEventStatus.PENDING, OutboxEventStatus.DEAD, { lastError: 'Error: gone' });
    await app.orm.em.fork().nativeUpdate(OutboxEvent, { id: retrying.id }, { attempts: 1, lastError: 'Error: 503' });
    await transition(app.orm.em.fork(), OutboxEvent, delivered.id, OutboxEventStatus.PENDING, OutboxEventStatus.DELIVERED, { deliveredAt: new Date() });

    const listed = await app.gql(OUTBOX_EVENTS, {}, { token: await app.adminToken() });

    expect(listed.data.outboxEvents.nodes.map((e: { id: string }) => e.id).sort()).toEqual([dead.id, retrying.id].sort());
  });

  it('when a delivered event is replayed, or an unknown one, then a typed error answers and nothing changes', async () => {
    const [event] = await commitEvents(app.orm, 1);
    await relayRound(event.id);
    const before = await row(event.id);
    const token = await app.adminToken();

    const refused = await app.gql(REPLAY, { id: event.id }, { token });
    const unknown = await app.gql(REPLAY, { id: '00000000-0000-4000-8000-000000000000' }, { token });

    expect(refused.data).toBeNull();
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'INVALID_STATE_TRANSITION', field: 'id' });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'NOT_FOUND' });
    expect(await row(event.id)).toEqual(before);
    expect(before.status).toBe(OutboxEventStatus.DELIVERED);
    expect(receiver.ids()).toEqual([event.id]);
  });

  it('when a customer or an anonymous caller asks, then they are refused with FORBIDDEN or UNAUTHENTICATED and nothing changes', async () => {
    const [event] = await commitEvents(app.orm, 1);
    await transition(app.orm.em.fork(), OutboxEvent, event.id, OutboxEventStatus.PENDING, OutboxEventStatus.DEAD, { attempts: 2 });
    const before = await row(event.id);
    const customer = await app.customer();

    const answers = {
      customerList: await app.gql(OUTBOX_EVENTS, { status: 'DEAD' }, { token: customer.token }),
      customerReplay: await app.gql(REPLAY, { id: event.id }, { token: customer.token }),
      anonymousReplay: await app.gql(REPLAY, { id: event.id }),
      customerSagas: await app.gql('{ sagas { nodes { id } } }', {}, { token: customer.token }),
      customerTransfers: await app.gql('{ sellerTransfers { id } }', {}, { token: customer.token }),
      customerRecover: await app.gql('mutation { recoverSaga(input: { id: "00000000-0000-4000-8000-000000000000" }) { id } }', {}, { token: customer.token }),
      customerRetry: await app.gql(
        'mutation { retrySellerTransfer(input: { id: "00000000-0000-4000-8000-000000000000" }) { id } }',
        {},
        { token: customer.token },
      ),
    };

    const codes = Object.fromEntries(
      Object.entries(answers).map(([name, answer]) => [name, [answer.data ?? null, answer.errors?.map((e) => e.extensions?.code)]]),
    );
    expect(codes).toEqual({
      customerList: [null, ['FORBIDDEN']],
      customerReplay: [null, ['FORBIDDEN']],
      anonymousReplay: [null, ['UNAUTHENTICATED']],
      customerSagas: [null, ['FORBIDDEN']],
      customerTransfers: [null, ['FORBIDDEN']],
      customerRecover: [null, ['FORBIDDEN']],
      customerRetry: [null, ['FORBIDDEN']],
    });
    expect(await row(event.id)).toEqual(before);
  });
});
