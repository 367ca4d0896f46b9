import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every series Tillgate exports, in one registry per process. Label values
 * are always from closed sets (operation names the server knows, route
 * patterns, enum values, step ids): a label a client could choose would let
 * anyone add series without bound.
 *
 * Counters and histograms are summed across gateway processes (cluster.ts);
 * the gauges the ops-gauges worker sets describe the shared database, so the
 * processes' values are combined with `max` rather than added up.
 */
export const registry = new Registry();

collectDefaultMetrics({ register: registry });

/** Seconds; from a quick read to the slowest checkout with a 3-D Secure hand-off. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by method, route pattern and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Partners are named by admins, so the label stays bounded; ordinary clients are not counted here. */
export const partnerOperations = new Counter({
  name: 'partner_operations_total',
  help: 'GraphQL operations partners sent, by partner name, operation name (known names only, else other) and result type.',
  labelNames: ['partner', 'operation', 'result'] as const,
  registers: [registry],
});

export const graphqlOperationDuration = new Histogram({
  name: 'graphql_operation_duration_seconds',
  help: 'GraphQL operations by operation name (known names only, else other) and result type (__typename of the first root field, or the top-level error code).',
  labelNames: ['operation', 'result'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const checkoutOutcomes = new Counter({
  name: 'checkout_outcomes_total',
  help: 'confirmCheckout answers by payment kind and outcome: PLACED, PENDING_PAYMENT, REPLAYED, an ErrorCode, or INTERNAL_ERROR.',
  labelNames: ['payment_kind', 'outcome'] as const,
  registers: [registry],
});

export const checkoutConfirmDuration = new Histogram({
  name: 'checkout_confirm_duration_seconds',
  help: 'How long confirmCheckout took at the confirm service, by payment kind, whatever the client named its operation.',
  labelNames: ['payment_kind'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const sagaCompensations = new Counter({
  name: 'saga_compensations_total',
  help: 'Sagas compensated, by the step that failed and the class of the reason.',
  labelNames: ['kind', 'step', 'reason_class'] as const,
  registers: [registry],
});

export const sagaRecoveries = new Counter({
  name: 'saga_recoveries_total',
  help: 'Sagas the recovery worker took over, by outcome (completed, compensated, failed).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const subscriptionRenewals = new Counter({
  name: 'subscription_renewals_total',
  help: 'Subscription renewal rounds by outcome (succeeded, credit_covered, declined, uncollectible, unknown, requires_action, ended).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const stripeRequests = new Counter({
  name: 'stripe_requests_total',
  help: 'Stripe API attempts by operation and outcome class (ok, retryable, indeterminate, terminal, error).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [registry],
});

export const stripeRequestDuration = new Histogram({
  name: 'stripe_request_duration_seconds',
  help: 'Stripe API attempt latency by operation.',
  labelNames: ['operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const webhookEvents = new Counter({
  name: 'webhook_events_total',
  help: 'Stripe webhook deliveries by event type and outcome (processed, duplicate, ignored, retry_later, refused, failed).',
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});

export const rateLimited = new Counter({
  name: 'rate_limited_total',
  help: 'Attempts refused by a rate limit, by limit.',
  labelNames: ['limit'] as const,
  registers: [registry],
});

export const sqlStatements = new Counter({
  name: 'sql_statements_total',
  help: 'SQL statements sent (only with SQL_STATEMENT_METRICS=on; for benchmarks).',
  registers: [registry],
});

const sharedStateGauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
  new Gauge<L>({ name, help, labelNames, registers: [registry], aggregator: 'max' });

export const outboxLagSeconds = sharedStateGauge('outbox_lag_seconds', 'Age of the oldest outbox event not yet delivered (0 when none waits).');
export const outboxDeadLetters = sharedStateGauge('outbox_dead_letters', 'Outbox events that failed every attempt (status DEAD) and wait for a replay.');
export const paymentsRequiresActionStale = sharedStateGauge(
  'payments_requires_action_stale',
  'Card payments waiting for the buyer (3-D Secure) for longer than half of CARD_ACTION_TIMEOUT.',
);
export const refundsPendingOldestSeconds = sharedStateGauge('refunds_pending_oldest_seconds', 'Age of the oldest PENDING refund (0 when none).');
export const sellerTransfers = sharedStateGauge('seller_transfers', 'Seller transfers by status.', ['status']);
export const sagas = sharedStateGauge('sagas', 'Unfinished or failed sagas by status; RUNNING past SAGA_RECOVERY_GRACE counts as STUCK.', ['status']);
export const opsGaugesRefreshed = sharedStateGauge('ops_gauges_refreshed_timestamp_seconds', 'When the ops gauges were last refreshed (Unix seconds).');

/** 1 in every process: summed over a gateway cluster, it says how many processes the scrape covers. */
export const reportingProcesses = new Gauge({
  name: 'tillgate_processes',
  help: 'Processes whose series this scrape adds up (a gateway of GATEWAY_PROCESSES=N reports N).',
  registers: [registry],
  aggregator: 'sum',
});
reportingProcesses.set(1);
