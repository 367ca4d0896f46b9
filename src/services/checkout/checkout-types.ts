import type { Config } from '../../config';
import type { Database } from '../../db/database';
import type { Stores } from '../../db/stores';
import { PaymentMethodKind } from '../../entities';
import type { CartSnapshot } from '../cart/cart-snapshot';
import type { DigitalLine } from '../licenses/issue-licenses';
import type { WrittenOrder } from '../orders/order-rows';
import type { PricingResult } from '../pricing/pricing-engine';
import type { CheckoutCart } from './checkout-cart';
import type { SagaFaults, SagaStep } from '../saga/saga-types';
import type { Clock } from '../shared/clock';
import type { CheckoutPayments, PaymentAttempt } from '../payments/payment-port';

export const CHECKOUT_SAGA_KIND = 'confirm-checkout';
export interface CheckoutDeps {
  config: Config;
  clock: Clock;
  payments: CheckoutPayments;
  db: Database;
  stores: Stores;
}

/** How the saga runs its steps; tests inject faults and a short step deadline. */
export interface ConfirmCheckoutOptions {
  faults?: SagaFaults;
  stepTimeoutMs?: number;
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

/** Compensation data of the steps that later steps read. */
export interface ClaimData {
  cartId: string;
  claimId: string;
}
export interface ReservationData {
  reservationIds: string[];
  /** What they hold, when every variant is stocked in one warehouse: finalize then converts them at once (one statement on PostgreSQL, two on libSQL). */
  held?: { id: string; variantId: string; quantity: number; expiresAt: string }[];
}
export interface HoldData {
  redemptionIds: string[];
}
export interface OrderData {
  orderId: string;
  orderNumber?: string;
  paymentId: string;
  creditApplied: number;
  amountDue: number;
  currency: string;
  email: string;
  /** The buyer, and the DIGITAL lines finalize issues licenses for (absent on rows written before digital goods: none). */
  customerId?: string | null;
  digitalLines?: DigitalLine[];
  /** A plan's order: the subscription it starts, and the provider customer already saved for the buyer (else the payment creates one). */
  subscriptionId?: string | null;
  stripeCustomerId?: string | null;
}
export interface PaymentData {
  providerReference: string | null;
  /** The provider's answer; REQUIRES_ACTION and PENDING are finished later by webhooks, the sweeper or recovery. Absent for local kinds. */
  status?: 'AUTHORIZED' | 'CAPTURED' | 'REQUIRES_ACTION' | 'PENDING';
  /** A plan's payment: the provider customer its card is saved to (created by this payment when the buyer had none). */
  stripeCustomerId?: string | null;
}
/** The provider's whole answer, which finalize writes onto the payment row; null for the local kinds. */
export interface PaymentOutput extends PaymentData {
  attempt: PaymentAttempt | null;
  /** Until when the stock stays reserved for a buyer who still has to act (3-D Secure, a hosted page). */
  waitsUntil: Date | null;
}

/** The cart as this checkout charges it: its lines carry the prices the price guard accepted. */
export interface PricedCart {
  cart: CartSnapshot;
  pricing: PricingResult;
}

/**
 * The checkout saga's step data (saga-types SagaShape): outputs within a run,
 * records on the saga row. The provider path runs claim-cart, price-guard,
 * reserve-stock, hold-vouchers, create-order, payment, finalize; the local
 * path runs claim-cart, price-guard, take-stock, use-vouchers, create-order,
 * place-order (confirm-checkout.saga.ts).
 */
export interface CheckoutShape {
  outputs: {
    'claim-cart': CheckoutCart;
    'price-guard': PricedCart;
    'reserve-stock': ReservationData;
    'take-stock': ReservationData;
    'hold-vouchers': HoldData;
    'use-vouchers': HoldData;
    'create-order': OrderData & { written: WrittenOrder };
    payment: PaymentOutput;
    finalize: null;
    'place-order': null;
  };
  records: {
    'claim-cart': ClaimData;
    'price-guard': null;
    'reserve-stock': ReservationData;
    'take-stock': ReservationData;
    'hold-vouchers': HoldData;
    'use-vouchers': HoldData;
    'create-order': OrderData;
    payment: PaymentData;
    finalize: null;
    'place-order': null;
  };
}

export type CheckoutStepId = keyof CheckoutShape['outputs'];
export type CheckoutStep<K extends CheckoutStepId> = SagaStep<CheckoutSagaInput, CheckoutDeps, CheckoutShape, K>;

/** Cash on delivery and store credit make no outside call: they take the local path, one transaction. */
export const settlesLocally = (input: Pick<CheckoutSagaInput, 'paymentMethod'>): boolean =>
  input.paymentMethod === PaymentMethodKind.CASH_ON_DELIVERY || input.paymentMethod === PaymentMethodKind.STORE_CREDIT;

/** Every checkout step but the payment works inside the database transaction of its group. */
export const alwaysLocal = (): boolean => true;
