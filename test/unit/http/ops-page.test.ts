import { OutboxEvent, OutboxEventStatus } from '../../../src/entities';
import { dashboardPage } from '../../../src/http/ops/ops-page';

describe('the /ops page markup', () => {
  it('when stored text holds markup, then the page shows it as text and carries no script', () => {
    const event = Object.assign(new OutboxEvent(), {
      type: 'order.placed"><script>alert(1)</script>',
      aggregateId: "o'1",
      payload: {},
      status: OutboxEventStatus.DEAD,
      attempts: 10,
      lastError: '<img src=x onerror=alert(2)>',
    });

    const html = dashboardPage({
      outcomes: [],
      sagas: [],
      outboxEvents: [event],
      transfers: [],
      subscriptions: { byStatus: {}, failingRenewals: 0 },
      csrf: 'form"token',
      notice: null,
    });

    expect(html).toContain('order.placed&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('o&#39;1');
    expect(html).toContain('value="form&quot;token"');
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/i);
  });
});
