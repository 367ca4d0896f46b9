import type { PaymentMethodKind } from '../../entities';
import { ErrorCode } from '../shared/error-code';

/**
 * The port every payment provider sits behind (STYLE rule 9). Checkout calls
 * it outside any database transaction, with the order id as the idempotency
 * key. The Stripe adapter implements it in the Stripe issue; until one is
 * configured, `NotConfiguredGateway` answers every call with a typed failure.
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
}

export interface PaymentAttempt {
  status: 'AUTHORIZED' | 'CAPTURED' | 'REQUIRES_ACTION' | 'PENDING';
  providerReference: string;
  clientSecret: string | null;
  checkoutUrl: string | null;
  /** When a hosted session lapses (reservations are held until then). */
  expiresAt?: Date | null;
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
}

export interface PaymentGateway {
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
}

/** Terminal payment failures the checkout reports as business errors after compensating. */
export class PaymentFailure extends Error {
  override name = 'PaymentFailure';
  constructor(readonly code: ErrorCode, message: string) {
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
  constructor(readonly orderId: string, message: string) {
    super(message);
  }
}

export class PaymentProviderNotConfigured extends PaymentFailure {
  override name = 'PaymentProviderNotConfigured';
  constructor() {
    super(ErrorCode.PAYMENT_PROVIDER_NOT_CONFIGURED, 'Card payments are not available: no payment provider is configured.');
  }
}

export class NotConfiguredGateway implements PaymentGateway {
  async startPayment(): Promise<PaymentAttempt> {
    throw new PaymentProviderNotConfigured();
  }

  async cancelPayment(): Promise<void> {
    // Nothing can have been created with a provider that does not exist.
  }

  async lookupPayment(): Promise<ProviderPayment | null> {
    return null;
  }
}

/** The gateway registered in the app's extensions, or the not-configured one. */
export function paymentGatewayFrom(extensions: Record<string, unknown>): PaymentGateway {
  const candidate = extensions.paymentGateway as PaymentGateway | undefined;
  return candidate && typeof candidate.startPayment === 'function' ? candidate : new NotConfiguredGateway();
}
