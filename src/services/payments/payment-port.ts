import type { PaymentMethodKind } from '../../entities';
import { ErrorCode } from '../shared/error-code';

/**
 * The port every call to the payment provider goes through (house rule 6, docs/design.md):
 * checkout, recovery, the sweepers, webhooks, refunds and payouts depend on
 * it, and only `payments/stripe/` implements it. Every write carries a stable
 * idempotency key (`idempotency-keys.ts`) and is made outside any database
 * transaction.
 */
export interface PaymentRequest {
  orderId: string;
  /** Stable provider idempotency key (the order id); never empty. */
  idempotencyKey: string;
  kind: PaymentMethodKind.CARD | PaymentMethodKind.HOSTED_CHECKOUT;
  amount: number;
  currency: string;
  email: string;
  paymentMethodId: string | null;
  returnUrl: string | null;
  /** The cart version key the order was confirmed with (sent as provider metadata for support). */
  cartVersionKey?: string | null;
  /** Human order number (hosted checkout shows "Order <number>"). */
  orderNumber?: string | null;
  /** Fixed hosted-session expiry, so repeated calls with one key send identical parameters (payment links). */
  sessionExpiresAt?: Date | null;
  /**
   * The provider customer (cus_…, from createCustomer) to save the card to for
   * off-session renewals: the payment is made for that customer with
   * `setup_future_usage=off_session` (a hosted session's payment too). The
   * method to charge later is the one the provider answers
   * (`savedPaymentMethodId`), never the buyer's `paymentMethodId`.
   */
  saveCardFor?: string | null;
}

export interface PaymentAttempt {
  status: 'AUTHORIZED' | 'CAPTURED' | 'REQUIRES_ACTION' | 'PENDING';
  providerReference: string;
  clientSecret: string | null;
  checkoutUrl: string | null;
  /** When a hosted session lapses (reservations are held until then). */
  expiresAt?: Date | null;
  /** The card saved for off-session charges (pm_…) once a `saveCardFor` payment is paid; null or absent otherwise. */
  savedPaymentMethodId?: string | null;
}

/** What the provider says about an order's payment right now (recovery, webhooks, sweeper). */
export interface ProviderPayment {
  /** pi_... for a card payment, cs_... for a hosted checkout session. */
  providerReference: string;
  /** The PaymentIntent holding the money (for a session: once the buyer paid), or null. */
  paymentIntentId: string | null;
  status: 'CAPTURED' | 'AUTHORIZED' | 'REQUIRES_ACTION' | 'PENDING' | 'FAILED' | 'CANCELLED';
  amount: number;
  currency: string;
  /** When an open hosted session lapses; null for a PaymentIntent. */
  expiresAt: Date | null;
  /** What the buyer's browser needs to finish 3-D Secure: the PaymentIntent's client secret while REQUIRES_ACTION, else null. */
  clientSecret: string | null;
  /**
   * The card the provider saved for off-session charges (pm_…): set once a
   * payment made with `saveCardFor` is CAPTURED or AUTHORIZED, else null.
   */
  savedPaymentMethodId: string | null;
}

/** A renewal charged to a saved card while the customer is away (off session). */
export interface OffSessionChargeRequest {
  /** The provider customer (cus_…) the card was saved to. */
  customer: string;
  /** The saved card (pm_…) as the provider answered it on the first payment. */
  paymentMethod: string;
  amount: number;
  currency: string;
  /** One per attempt (providerKeys.renewalCharge); a retry of the same attempt sends the same key. Never empty. */
  idempotencyKey: string;
  /** Sent as the payment's metadata (order_id, subscription_id, …) for look-ups and support. */
  metadata: Record<string, string>;
}

/**
 * What became of an off-session charge:
 * - succeeded: the money is captured;
 * - declined: nothing was charged (`code` is the provider's, e.g. card_declined);
 *   the provider keeps this answer under the key, so a retry needs the next attempt's key;
 * - requires_action: the card needs the customer to authenticate, on session;
 * - unknown: a timeout or lost answer; ask again with the SAME key, which
 *   answers what the provider did (it never charges twice).
 */
export type OffSessionChargeOutcome =
  | { kind: 'succeeded'; paymentIntentId: string }
  | { kind: 'declined'; code: string; declineCode: string | null; paymentIntentId: string | null }
  | { kind: 'requires_action'; paymentIntentId: string; clientSecret: string | null }
  | { kind: 'unknown'; reason: string };

/** A refund asked of the provider; the refund id is its idempotency key. */
export interface ProviderRefundRequest {
  refundId: string;
  orderId: string;
  /** pi_... the card payment to refund. */
  paymentIntentId: string;
  amount: number;
  reason: string;
}

/**
 * What the provider said of a refund, sorted by what we do next:
 * - succeeded / failed settle the refund;
 * - pending: the provider accepted it, a webhook will settle it;
 * - unknown: an outage or a lost answer; the refund stays PENDING and is asked
 *   again later with the SAME idempotency key, so it never refunds twice.
 */
export type ProviderRefundAnswer =
  | { kind: 'succeeded'; providerRefundId: string | null }
  | { kind: 'pending'; providerRefundId: string }
  | { kind: 'failed'; providerRefundId: string | null; reason: string }
  | { kind: 'unknown'; reason: string };

/** A seller's share paid out to their connected account; the transfer id is the idempotency key. */
export interface ProviderTransferRequest {
  transferId: string;
  orderId: string;
  sellerId: string;
  destinationAccount: string;
  amount: number;
  currency: string;
}

/** A (partial) reversal of a paid-out transfer after a refund. */
export interface ProviderReversalRequest {
  transferId: string;
  providerTransferId: string;
  orderId: string;
  /** The refund that made the seller owe money back (part of the idempotency key), or null. */
  refundId: string | null;
  amount: number;
}

/**
 * What became of a payout call:
 * - done: the provider holds it (for a reversal: `amount` reversed, or
 *   `alreadyReversed` when the provider says it was reversed before);
 * - refused: the provider will never accept this request (give up for good);
 * - retry: an outage or a lost answer; asked again later with the same key.
 */
export type ProviderPayoutAnswer =
  | { kind: 'done'; providerId: string | null; amount: number; alreadyReversed?: boolean }
  | { kind: 'refused'; reason: string }
  | { kind: 'retry'; reason: string };

/**
 * A webhook delivery whose signature the provider's adapter verified, in our
 * terms. `type` is the provider's own event type (recorded and counted as is).
 */
export interface ProviderEvent {
  id: string;
  type: string;
  /** What the event is about. */
  subject:
    | { kind: 'payment'; objectId: string | null; orderId: string | null }
    | { kind: 'refund'; providerRefundId: string; refundId: string | null; answer: ProviderRefundAnswer }
    | { kind: 'charge-refunded'; paymentIntentId: string | null };
}

/** The webhook's signature did not verify: nothing in the delivery may be trusted. */
export class WebhookSignatureInvalid extends Error {
  override name = 'WebhookSignatureInvalid';
  constructor(
    /** `unparseable` when the body was not an event at all (worth a log line); `signature` for a bad or missing signature. */
    readonly reason: 'signature' | 'unparseable',
    options?: { cause?: unknown },
  ) {
    super(`webhook refused: ${reason}`, options);
  }
}

/** The calls checkout and its recovery make: start, void and look up an order's payment. */
export interface CheckoutPayments {
  startPayment(request: PaymentRequest): Promise<PaymentAttempt>;
  /** Voids an attempt during compensation (cancel the intent, expire the session); a no-op for one already void. */
  cancelPayment(providerReference: string, idempotencyKey: string): Promise<void>;
  /**
   * Asks the provider what became of an order's payment: by the stored reference
   * when there is one, otherwise by the order id in the provider's metadata.
   * Null means the provider provably holds no payment for the order. Throws
   * PaymentOutcomeUnknown when the provider cannot be asked right now.
   */
  lookupPayment(orderId: string, providerReference: string | null): Promise<ProviderPayment | null>;
  /**
   * The provider customer (cus_…) for one of our customers, created with a key
   * derived from `customerId`, so repeating the call answers the same one.
   * Store the answer: call it only for a customer who has none yet. Throws
   * PaymentFailure (PAYMENT_PROVIDER_UNAVAILABLE) when the provider cannot
   * answer; nothing is charged either way.
   */
  createCustomer(customerId: string, email: string): Promise<string>;
}

export interface PaymentPort extends CheckoutPayments {
  /** Charges a saved card off session; never throws for a provider failure (see OffSessionChargeOutcome). */
  chargeOffSession(request: OffSessionChargeRequest): Promise<OffSessionChargeOutcome>;
  /** Ends a card payment the buyer never finished; answers what the provider holds afterwards. */
  abandonCardPayment(paymentIntentId: string, idempotencyKey: string): Promise<ProviderPayment>;
  /** Expires a still-open hosted session so nobody can pay it any more; answers its state afterwards. */
  expireHostedCheckout(sessionId: string, idempotencyKey: string): Promise<ProviderPayment>;
  /** Gives back a charge nobody may keep (its order was cancelled); "already refunded" is a success without an id. */
  refundUnwantedCharge(orderId: string, paymentIntentId: string): Promise<ProviderRefundAnswer>;
  refund(request: ProviderRefundRequest): Promise<ProviderRefundAnswer>;
  /** Where a refund the provider already knows stands (its webhook may be lost). */
  lookUpRefund(providerRefundId: string): Promise<ProviderRefundAnswer>;
  transfer(request: ProviderTransferRequest): Promise<ProviderPayoutAnswer>;
  reverseTransfer(request: ProviderReversalRequest): Promise<ProviderPayoutAnswer>;
  /** Verifies a webhook delivery's signature over its exact bytes; throws WebhookSignatureInvalid. */
  verifyEvent(rawBody: Buffer, signature: string, secret: string): ProviderEvent;
}

/** Terminal payment failures the checkout reports as business errors after compensating. */
export class PaymentFailure extends Error {
  override name = 'PaymentFailure';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The provider may or may not have acted (a timeout, a lost response, a key
 * still in flight). The checkout must NOT compensate: money may have moved.
 * The saga is left open; recovery asks the provider (lookupPayment) and then
 * finalizes or compensates.
 */
export class PaymentOutcomeUnknown extends Error {
  override name = 'PaymentOutcomeUnknown';
  constructor(
    readonly orderId: string,
    message: string,
  ) {
    super(message);
  }
}

export class PaymentProviderNotConfigured extends PaymentFailure {
  override name = 'PaymentProviderNotConfigured';
  constructor() {
    super(ErrorCode.PAYMENT_PROVIDER_NOT_CONFIGURED, 'Card payments are not available: no payment provider is configured.');
  }
}

/** Checkout without a provider: card and hosted payments are refused; there is nothing to void or find. */
export const NO_PROVIDER: CheckoutPayments = {
  async startPayment(): Promise<PaymentAttempt> {
    throw new PaymentProviderNotConfigured();
  },
  async cancelPayment(): Promise<void> {
    // Nothing can have been created with a provider that does not exist.
  },
  async lookupPayment(): Promise<ProviderPayment | null> {
    return null;
  },
  async createCustomer(): Promise<string> {
    throw new PaymentProviderNotConfigured();
  },
};
