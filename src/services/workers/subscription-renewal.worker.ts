import type { AppDeps } from '../app-deps';
import { RenewalService } from '../subscriptions/renewals';
import type { Worker } from './worker-runner';

export const SUBSCRIPTION_RENEWAL_WORKER = 'subscription-renewal';

/**
 * Renews subscriptions whose period has ended and retries the declined ones
 * (services/subscriptions/renewals.ts), every BILLING_CHECK_INTERVAL when idle.
 * Any number of processes may run it: rows are claimed in the database.
 */
export function subscriptionRenewalWorker(deps: AppDeps): Worker {
  const renewals = new RenewalService(deps);
  return {
    name: SUBSCRIPTION_RENEWAL_WORKER,
    intervalMs: deps.config.billing.checkIntervalMs,
    runOnce: (em, now) => renewals.runRound(em, now),
    due: (now) => deps.stores.renewals.renewalsDue(now),
  };
}
