import { RenewalService } from '../../../src/services/subscriptions/renewals';
import { buildActiveSubscription } from '../../factories/subscription.factory';
import { usePaymentsApp } from '../../support/payments-app';

const DAY_SECONDS = 60;

/** What one renewal costs in statements, transaction control included; a change that adds one fails here. */
describe('renewal statement budget', () => {
  const statements: string[] = [];
  let counting = false;
  const h = usePaymentsApp({
    env: { BILLING_DAY_SECONDS: String(DAY_SECONDS) },
    start: { onQuery: (sql: string) => void (counting && statements.push(sql)) },
  });

  async function countRound(at: Date): Promise<number> {
    const renewals = new RenewalService(h.app.tillgate.deps);
    statements.length = 0;
    counting = true;
    try {
      await renewals.runRound(h.app.orm.em.fork(), at);
    } finally {
      counting = false;
    }
    return statements.length;
  }

  it('when one renewal is charged to the saved card, then the round runs a pinned number of statements', async () => {
    const now = new Date();
    await buildActiveSubscription(h.app.orm.em.fork(), { daySeconds: DAY_SECONDS, now, stripe: h.stripe.stripe });

    expect(await countRound(now)).toBe(RENEWAL_BY_CARD[h.app.tillgate.deps.db.dialect]);
  });

  it('when store credit covers one renewal, then the round runs a pinned number of statements', async () => {
    const now = new Date();
    await buildActiveSubscription(h.app.orm.em.fork(), { daySeconds: DAY_SECONDS, now, useCredit: true, credit: 5_000 });

    expect(await countRound(now)).toBe(RENEWAL_BY_CREDIT[h.app.tillgate.deps.db.dialect]);
  });
});

/**
 * Card: the opening transaction (claim, period, order rows), the empty claim that ends the opening loop, the leased
 * claim of the charge, and the settling transaction (period, placeOrder, subscription, events), each with its begin
 * and commit. Credit: the opening transaction settles at once (holder lock, balance, spend, placeOrder). libSQL
 * sends deferred rows one by one where PostgreSQL joins them into one statement.
 */
const RENEWAL_BY_CARD = { postgresql: 21, libsql: 23 };
const RENEWAL_BY_CREDIT = { postgresql: 21, libsql: 23 };
