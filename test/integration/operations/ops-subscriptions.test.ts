import { AuthService } from '../../../src/services/auth/auth.service';
import { RenewalService } from '../../../src/services/subscriptions/renewals';
import { buildActiveSubscription } from '../../factories/subscription.factory';
import { usePaymentsApp } from '../../support/payments-app';

const PASSWORD = 'ops-admin-password-123';
const DAY_SECONDS = 60;

/** The cells of the /ops subscriptions table, by heading. */
function subscriptionsRow(html: string): Record<string, number> {
  const table = /<table id="subscriptions">(.*?)<\/table>/.exec(html)![1]!;
  const headings = [...table.matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1]!);
  const cells = [...table.matchAll(/<td>(.*?)<\/td>/g)].map((m) => Number(m[1]));
  return Object.fromEntries(headings.map((heading, i) => [heading, cells[i]!]));
}

describe('/ops subscriptions row', () => {
  const h = usePaymentsApp({ env: { BILLING_DAY_SECONDS: String(DAY_SECONDS) } });

  async function opsPage(): Promise<string> {
    const email = `ops-admin-${Date.now()}@example.com`;
    await new AuthService(h.app.orm.em.fork(), h.app.tillgate.deps).ensureAdmin(email, PASSWORD);
    const signedIn = await fetch(`${h.app.url}/ops/sign-in`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ email, password: PASSWORD }) });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    return (await fetch(`${h.app.url}/ops`, { headers: { cookie } })).text();
  }

  it('when there are no subscriptions, then the row shows every status at 0 and no failing renewal', async () => {
    expect(subscriptionsRow(await opsPage())).toEqual({
      INCOMPLETE: 0,
      INCOMPLETE_EXPIRED: 0,
      ACTIVE: 0,
      PAST_DUE: 0,
      CANCELED: 0,
      'renewals failing': 0,
    });
  });

  it('when renewals succeed, decline and end at period end, then the row counts each status and the declined renewal as failing', async () => {
    const now = new Date();
    const spec = { daySeconds: DAY_SECONDS, now, stripe: h.stripe.stripe };
    const em = h.app.orm.em.fork();
    await buildActiveSubscription(em, spec);
    await buildActiveSubscription(em, spec);
    const declined = await buildActiveSubscription(em, spec);
    await buildActiveSubscription(em, { ...spec, cancelAtPeriodEnd: true });
    h.stripe.emulator.failNextOffSessionCharge(declined.subscription.stripeCustomerId!, 'card_declined');

    await new RenewalService(h.app.tillgate.deps).runRound(h.app.orm.em.fork(), now);

    expect(subscriptionsRow(await opsPage())).toMatchObject({ ACTIVE: 2, PAST_DUE: 1, CANCELED: 1, INCOMPLETE: 0, 'renewals failing': 1 });
  });
});
