/**
 * The renewal phase (BENCH_RENEWALS subscriptions, default 200; 0 leaves it
 * out): on a database of its own, a server with a 1-second billing day renews
 * DAY plans whose cards are saved at a Stripe emulator started here. The
 * subscriptions are written straight to the database (as the tests' factory
 * writes them: ACTIVE, first period paid, card saved) with one anchor, so they
 * all fall due together and again every second; a server that cannot keep up
 * works through a backlog, so renewals/s is its capacity once it is below
 * BENCH_RENEWALS per second. Over BENCH_RENEWAL_DURATION (10s) it prints the
 * renewals paid per second, SQL statements and gateway CPU per renewal (the
 * counter is on, as in the counting pass; the idle workers' ticks are
 * included), then checks each subscription's PAID periods against the
 * emulator's succeeded charges.
 */
import Stripe from 'stripe';
import { openOrm, type EntityManager } from '../../src/db/orm';
import { SubscriptionPeriod, SubscriptionPeriodStatus } from '../../src/entities';
import { startStripeEmulator } from '../stripe-emulator';
import { buildActiveSubscription, type BuiltSubscription } from '../subscription-fixture';
import type { Database } from './correctness';
import { treeCpuMs } from './cpu';
import { readCounter } from './graphql-client';
import { startServer, type Build } from './server';

const STRIPE_SECRET_KEY = 'sk_test_bench_renewals';
const STRIPE_WEBHOOK_SECRET = 'whsec_bench_renewals';

/** What run.ts's database kinds offer (a fresh database per call of create). */
export interface RenewalDatabaseKind {
  title: string;
  create(index: number): Promise<{ env: Record<string, string>; database: Database }>;
  close(): void;
}

export interface RenewalFigures {
  subscriptions: number;
  renewals: number;
  perS: number;
  statementsPerRenewal: number;
  cpuMsPerRenewal: number;
  problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the phase on a new database of `kind`, prints its figures, and answers them; closes the kind. */
export async function renewalPhase(kind: RenewalDatabaseKind, build: Build, subscriptions: number, durationMs: number): Promise<RenewalFigures> {
  const emulator = await startStripeEmulator({ port: 0, webhookSecret: STRIPE_WEBHOOK_SECRET });
  try {
    const { env, database } = await kind.create(1_000);
    const server = await startServer(build, 'cod', {
      ...env,
      STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET,
      STRIPE_API_BASE: emulator.url,
      BILLING_DAY_SECONDS: '1',
      BILLING_CHECK_INTERVAL: '200ms',
      SQL_STATEMENT_METRICS: 'on',
      GATEWAY_PROCESSES: '1',
    });
    const orm = await openOrm({ dialect: database.kind, url: database.kind === 'postgresql' ? database.url : database.file });
    try {
      const stripe = new Stripe(STRIPE_SECRET_KEY, { host: emulator.host, port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });
      // One anchor a day back: each subscription is due the moment it is written, and every second after.
      const anchor = new Date(Date.now() - 1_000);
      const built: BuiltSubscription[] = [];
      for (let i = 0; i < subscriptions; i++) built.push(await buildActiveSubscription(orm.em.fork(), { daySeconds: 1, anchor, now: anchor, stripe }));

      const start = { at: new Date(), statements: await readCounter(server.url, 'sql_statements_total'), cpuMs: treeCpuMs(server.pid) };
      await sleep(durationMs);
      const end = { at: new Date(), statements: await readCounter(server.url, 'sql_statements_total'), cpuMs: treeCpuMs(server.pid) };
      const paidBetween = { status: SubscriptionPeriodStatus.PAID, paidAt: { $gte: start.at, $lt: end.at } };
      const renewals = await orm.em.fork().count(SubscriptionPeriod, paidBetween);
      await server.stop();

      const figures: RenewalFigures = {
        subscriptions,
        renewals,
        perS: renewals / ((end.at.getTime() - start.at.getTime()) / 1000),
        statementsPerRenewal: (end.statements - start.statements) / renewals,
        cpuMsPerRenewal: (end.cpuMs - start.cpuMs) / renewals,
        problems: renewals === 0 ? ['no renewal was paid'] : await chargedOnce(orm.em.fork(), built, emulator.createdObjects('payment_intent')),
      };
      console.log(
        `\nRenewals on ${kind.title}: ${subscriptions} DAY plans with saved cards, a 1-second billing day, ${(durationMs / 1000).toFixed(0)} s\n` +
          `  ${renewals} renewals paid: ${figures.perS.toFixed(1)}/s (at most ${subscriptions}/s are due), ` +
          `${figures.statementsPerRenewal.toFixed(1)} SQL statements and ${figures.cpuMsPerRenewal.toFixed(2)} ms gateway CPU per renewal\n` +
          `  correctness: ${figures.problems.length === 0 ? 'OK (each PAID period one succeeded charge)' : `MISMATCH\n${figures.problems.map((p) => `    ${p}`).join('\n')}`}`,
      );
      return figures;
    } finally {
      await server.stop();
      await orm.close(true);
    }
  } finally {
    kind.close();
    await emulator.close();
  }
}

/** Per subscription: its PAID periods (the first paid when it was written) = the emulator's succeeded charges for its customer. */
async function chargedOnce(em: EntityManager, built: BuiltSubscription[], intents: Stripe.PaymentIntent[]) {
  const problems: string[] = [];
  for (const { subscription } of built) {
    const paid = await em.count(SubscriptionPeriod, { subscriptionId: subscription.id, status: SubscriptionPeriodStatus.PAID });
    const charged = intents.filter((pi) => pi.customer === subscription.stripeCustomerId && pi.status === 'succeeded').length;
    if (paid !== charged) problems.push(`subscription ${subscription.id}: ${paid} PAID periods, ${charged} succeeded charges`);
  }
  return problems;
}
