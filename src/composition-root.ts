import type { Config } from './config';
import { Database } from './db/database';
import type { Orm } from './db/orm';
import { createStores } from './db/stores';
import type { AppDeps } from './services/app-deps';
import { AccessCache } from './services/auth/access-cache';
import type { TokenService } from './services/auth/tokens';
import type { ConfirmCheckoutOptions } from './services/checkout/checkout-types';
import { configuredOutboxSink, type OutboxSink } from './services/outbox/sinks';
import type { PaymentPort } from './services/payments/payment-port';
import { createStripePayments } from './services/payments/stripe/stripe-payments';
import { systemClock, type Clock } from './services/shared/clock';

/** What a caller may put in place of the configured parts (tests, tooling). */
export interface CompositionOverrides {
  clock?: Clock;
  /** Instead of the Stripe adapter that STRIPE_SECRET_KEY configures; null runs without a provider. */
  payments?: PaymentPort | null;
  /** Instead of the sink OUTBOX_HTTP_SINK_URLS configures. */
  outbox?: OutboxSink;
  /** The saga's step deadline and injected faults (tests). */
  checkout?: ConfirmCheckoutOptions;
}

/**
 * The one place the process's dependencies are built, for the gateway and
 * the worker alike: the payment provider from config (Stripe when a secret
 * key is set), the outbox sink, the clock.
 */
export function composeAppDeps(config: Config, orm: Orm, tokens: TokenService, overrides: CompositionOverrides = {}): AppDeps {
  const clock = overrides.clock ?? systemClock;
  const db = new Database(orm, { preparedStatements: config.database.preparedStatements });
  return {
    config,
    orm,
    db,
    stores: createStores(db),
    tokens,
    // Untrusted until the gateway starts its feed of access changes (startTillgate): a worker never does.
    access: new AccessCache(),
    clock,
    payments: overrides.payments !== undefined ? overrides.payments : createStripePayments(config, clock),
    outbox: overrides.outbox ?? configuredOutboxSink(config),
    checkout: { ...overrides.checkout },
  };
}
