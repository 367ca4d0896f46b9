import type { Config } from '../../config';
import type { PaymentMethodKind } from '../../entities';
import type { SagaStep } from '../saga/saga-types';
import type { Clock } from '../shared/clock';
import type { PaymentGateway } from '../payments/payment-gateway';

export const CHECKOUT_SAGA_KIND = 'confirm-checkout';
export const CHECKOUT_IDEMPOTENCY_SCOPE = 'checkout';

export interface CheckoutDeps {
  config: Config;
  clock: Clock;
  paymentGateway: PaymentGateway;
}

export interface CheckoutActor {
  customerId: string | null;
  isAdmin: boolean;
}

export interface ConfirmCheckoutCommand {
  cartId: string;
  versionKey: string;
  paymentMethod: PaymentMethodKind;
  useCredit?: boolean | null;
  stripePaymentMethodId?: string | null;
  acknowledgePriceChange?: boolean | null;
  returnUrl?: string | null;
}

/** The saga's input, stored as JSON on its saga_executions row (recovery replays from it). */
export interface CheckoutSagaInput {
  cartId: string;
  versionKey: string;
  paymentMethod: PaymentMethodKind;
  useCredit: boolean;
  acknowledgePriceChange: boolean;
  stripePaymentMethodId: string | null;
  returnUrl: string | null;
  actor: CheckoutActor;
  /** Chosen up front so every step, and a recovery, names the same order. */
  orderId: string;
}

export type CheckoutStep = SagaStep<CheckoutSagaInput, CheckoutDeps>;

/** Compensation data of the steps that later steps read. */
export interface ClaimData { cartId: string; claimId: string }
export interface ReservationData { reservationIds: string[] }
export interface HoldData { redemptionIds: string[] }
export interface OrderData { orderId: string; paymentId: string; creditApplied: number; amountDue: number; currency: string; email: string }
export interface PaymentData {
  providerReference: string | null;
  /** The provider's answer; REQUIRES_ACTION and PENDING are finished later by webhooks, the sweeper or recovery. Absent for local kinds. */
  status?: 'AUTHORIZED' | 'CAPTURED' | 'REQUIRES_ACTION' | 'PENDING';
}

export const idempotencyKeyFor = (cartId: string, versionKey: string) => `${cartId}:${versionKey}`;
