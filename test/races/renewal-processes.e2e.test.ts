import type { ChildProcess } from 'node:child_process';
import type Stripe from 'stripe';
import { freePort } from '../../tools/postgres-cluster';
import { Order, OrderStatus, Payment, Subscription, SubscriptionPeriod, SubscriptionPeriodStatus } from '../../src/entities';
import { buildActiveSubscription, type BuiltSubscription } from '../factories/subscription.factory';
import { exitOf, outputOf } from '../support/child-output';
import { samplesOf } from '../support/metrics-text';
import { spawnBuiltGateway } from '../support/built-gateway';
import { buildIntoScratch, type ScratchBuild } from '../support/scratch-build';
import { startTestStripe, type TestStripe } from '../support/stripe';
import { openTestOrm, testDatabaseConfig, truncateAll } from '../support/test-database';
import type { Orm } from '../../src/db/orm';

const DAY_MS = 1_000;
/** How many billing days the run lasts: the subscriptions below renew about this many times. */
const DAYS = 20;
const SUBSCRIPTIONS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Gateway {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

/**
 * Renewals with several real gateway processes on one PostgreSQL database and
 * one Stripe emulator, one of them killed (SIGKILL) in the middle of the run
 * and replaced: every period is billed exactly once and the periods follow one
 * another without a gap. PostgreSQL only (this folder's project): the embedded
 * libSQL file serves one process.
 */
describe('subscription renewals across gateway processes', () => {
  // Three node processes start one after another, then the run itself lasts DAYS billing days.
  jest.setTimeout(150_000);
  let build: ScratchBuild;
  let stripe: TestStripe;
  let orm: Orm;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    build = buildIntoScratch('renewal-processes');
    stripe = await startTestStripe();
    orm = await openTestOrm();
    await truncateAll(orm);
  });
  afterAll(async () => {
    for (const gateway of gateways) if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
    await Promise.all(gateways.map((g) => g.exited));
    await truncateAll(orm);
    await orm.close(true);
    await stripe.close();
    build.remove();
  });

  async function startGateway(): Promise<Gateway> {
    const port = await freePort();
    const child = spawnBuiltGateway(build, port, {
      HOST: '127.0.0.1',
      DATABASE_URL: (await testDatabaseConfig()).url,
      AUTH_SECRET: 'renewal-processes-test-secret-0123456789',
      ...stripe.env,
      BILLING_DAY_SECONDS: String(DAY_MS / 1000),
      BILLING_CHECK_INTERVAL: '200ms',
      // A charge leased by the killed process is asked again (same key) this long after its lease was taken.
      SAGA_RECOVERY_GRACE: '2s',
    });
    const gateway = { child, url: `http://127.0.0.1:${port}`, exited: exitOf(child) };
    gateways.push(gateway);
    await outputOf(child).waitFor('"event":"tillgate.started"');
    return gateway;
  }

  const renewedBy = async (gateway: Gateway): Promise<number> =>
    samplesOf(await (await fetch(`${gateway.url}/metrics`)).text(), 'subscription_renewals_total').get('{outcome="succeeded"}') ?? 0;
  const waitUntil = async (test: () => Promise<boolean>, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await sleep(100);
    }
  };

  it('when one of two processes is killed mid-run and replaced, then over 20 one-second periods each period is charged once, PAID once, and contiguous', async () => {
    const [victim, survivor] = [await startGateway(), await startGateway()];
    const anchor = new Date();
    const built: BuiltSubscription[] = [];
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      built.push(await buildActiveSubscription(orm.em.fork(), { daySeconds: DAY_MS / 1000, anchor, now: anchor, price: 700 + i, stripe: stripe.stripe }));
    }

    // Both processes renew: each has made a charge of its own before the kill.
    await waitUntil(async () => (await renewedBy(victim)) > 0 && (await renewedBy(survivor)) > 0, 'both processes have renewed', 30_000);
    // Killed just after a period boundary, while the rounds of that boundary are claiming, charging and recording.
    await sleep(anchor.getTime() + Math.ceil((Date.now() - anchor.getTime()) / DAY_MS) * DAY_MS + 60 - Date.now());
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const replacement = await startGateway();

    const end = new Date(anchor.getTime() + DAYS * DAY_MS);
    const caughtUp = async () =>
      (await orm.em.fork().count(Subscription, { id: built.map((b) => b.subscription.id), currentPeriodEnd: { $gt: end } })) === SUBSCRIPTIONS;
    await waitUntil(caughtUp, `every subscription is paid past ${end.toISOString()}`, DAYS * DAY_MS + 30_000);
    for (const gateway of [survivor, replacement]) gateway.child.kill('SIGTERM');
    expect(await Promise.all([survivor.exited, replacement.exited])).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    const intents: Stripe.PaymentIntent[] = stripe.emulator.createdObjects('payment_intent');
    for (const { subscription } of built) {
      const em = orm.em.fork();
      const periods = await em.find(SubscriptionPeriod, { subscriptionId: subscription.id }, { orderBy: { periodStart: 'asc' } });
      const paid = periods.filter((p) => p.status === SubscriptionPeriodStatus.PAID);
      const succeeded = intents.filter((pi) => pi.customer === subscription.stripeCustomerId && pi.status === 'succeeded');
      const renewalCharges = succeeded.filter((pi) => pi.metadata.subscription_id === subscription.id);

      // At least DAYS periods, and only the last may still be open (renewed by nobody once the processes stopped).
      expect(paid.length).toBeGreaterThan(DAYS);
      expect(periods.slice(0, paid.length).every((p) => p.status === SubscriptionPeriodStatus.PAID)).toBe(true);
      expect(periods.slice(paid.length).map((p) => p.status)).toEqual(periods.length > paid.length ? [SubscriptionPeriodStatus.OPEN] : []);
      // Contiguous from the anchor: each period starts where the one before ended.
      expect(periods[0]!.periodStart).toEqual(anchor);
      for (let i = 1; i < periods.length; i++) expect(periods[i]!.periodStart).toEqual(periods[i - 1]!.periodEnd);
      // Each PAID period is one succeeded charge at the emulator (the first is the factory's card-saving payment).
      expect(succeeded).toHaveLength(paid.length);
      // No period charged twice: one succeeded charge per period start, each recorded on that period's order.
      const chargedStarts = renewalCharges.map((pi) => pi.metadata.period_start);
      expect(new Set(chargedStarts).size).toBe(chargedStarts.length);
      expect(chargedStarts.sort()).toEqual(paid.slice(1).map((p) => p.periodStart.toISOString()));
      const orders = await em.find(Order, { id: paid.map((p) => p.orderId!) });
      expect(orders.every((o) => o.status === OrderStatus.PLACED)).toBe(true);
      const payments = await em.find(Payment, { orderId: paid.slice(1).map((p) => p.orderId!) });
      expect(payments.map((p) => p.providerReference).sort()).toEqual(renewalCharges.map((pi) => pi.id).sort());
    }
  });
});
