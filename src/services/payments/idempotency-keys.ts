/**
 * Every idempotency key sent to the payment provider, in one place. A key is
 * built only from ids we stored before the call, so a retry after a crash or
 * a lost answer sends the same key and the provider replays what it did
 * instead of acting twice (invariant 6).
 */
export const providerKeys = {
  /** Starting an order's payment (a PaymentIntent or a hosted session): one per order. */
  payment: (orderId: string): string => orderId,
  /** Voiding an attempt during compensation. */
  cancel: (providerReference: string): string => `cancel:${providerReference}`,
  /** One hosted session of a renewal order's payment link: the order keeps its key, each session is a payment row of its own. */
  linkSession: (paymentId: string): string => `link-session:${paymentId}`,
  /** Cancelling an authorization that arrived for an order that may not be kept. */
  autoCancel: (orderId: string): string => `auto-cancel:${orderId}`,
  /** Expiring an open hosted session. */
  expireSession: (sessionId: string): string => `expire:${sessionId}`,
  /** Cancelling a card payment the buyer abandoned (3-D Secure never finished). */
  abandonedCard: (orderId: string): string => `abandon-card:${orderId}`,
  /** Giving back a charge on an order that was cancelled. */
  autoRefund: (orderId: string): string => `auto-refund:${orderId}`,
  /** A refund asked for by an admin or the system: its own row id. */
  refund: (refundId: string): string => refundId,
  /** Paying a seller their share of an order. */
  transfer: (transferId: string): string => transferId,
  /** Reversing a transfer after the refund that made the seller owe money back. */
  reversal: (transferId: string, refundId: string | null): string => `${transferId}:${refundId ?? 'refund'}`,
  /** The provider customer of one of our customers: one per customer. */
  customer: (customerId: string): string => `customer:${customerId}`,
  /**
   * One attempt at charging a subscription's period off session. The provider
   * keeps a decline under its key, so each retry is a new attempt number;
   * every process computes the same key for the same attempt.
   */
  renewalCharge: (subscriptionId: string, periodStart: Date, attempt: number): string => {
    if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`renewal attempt must be a positive integer, got ${attempt}`);
    if (Number.isNaN(periodStart.getTime())) throw new Error('renewal period start is not a valid date');
    return `renewal:${subscriptionId}:${periodStart.toISOString()}:${attempt}`;
  },
} as const;
