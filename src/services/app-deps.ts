import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Orm } from '../db/orm';
import type { Stores } from '../db/stores';
import type { AccessCache } from './auth/access-cache';
import type { TokenService } from './auth/tokens';
import type { ConfirmCheckoutOptions } from './checkout/checkout-types';
import type { OutboxSink } from './outbox/sinks/outbox-sink';
import type { PaymentPort } from './payments/payment-port';
import type { Clock } from './shared/clock';

/**
 * What lives for the whole process, built once at start-up
 * (src/composition-root.ts) and handed to every service that needs it.
 */
export interface AppDeps {
  config: Config;
  orm: Orm;
  /** The open database: its dialect, its statement cache, units of work. */
  db: Database;
  /** Every statement the services run, behind one store per aggregate (src/db/stores). */
  stores: Stores;
  tokens: TokenService;
  /** Customers' token versions and roles this process holds, used while every change reaches it (src/db/access-changes.ts). */
  access: AccessCache;
  clock: Clock;
  /** The payment provider; null when none is configured (card payments answer PAYMENT_PROVIDER_NOT_CONFIGURED, payout and refund workers stay off). */
  payments: PaymentPort | null;
  /** Where the outbox relay publishes events. */
  outbox: OutboxSink;
  /** How confirmCheckout runs its steps: the step deadline, and the faults a test injects. */
  checkout: ConfirmCheckoutOptions;
}
