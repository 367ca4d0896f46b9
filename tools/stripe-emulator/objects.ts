/**
 * Wire shapes of the objects the emulator keeps. Stored records are the JSON
 * Stripe would send (snake_case), so responses and event snapshots are copies.
 */
import type { Metadata } from './params';

interface StripeObjectBase {
  id: string;
  created: number;
  livemode: false;
  metadata: Metadata;
}

export type PaymentIntentStatus =
  'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'canceled' | 'succeeded';

export type CaptureMethod = 'automatic' | 'automatic_async' | 'manual';

export const SETUP_FUTURE_USAGES = ['off_session', 'on_session'] as const;
export type SetupFutureUsage = (typeof SETUP_FUTURE_USAGES)[number];

export interface PaymentError {
  /** Declines are card errors; a failed 3DS challenge is reported as an invalid request. */
  type: 'card_error' | 'invalid_request_error';
  code: string;
  decline_code?: string;
  message: string;
  charge?: string;
  payment_method?: { id: string; object: 'payment_method'; type: 'card' };
  doc_url?: string;
}

export type NextAction =
  | { type: 'use_stripe_sdk'; use_stripe_sdk: { type: 'three_d_secure_redirect'; stripe_js: string } }
  | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string } };

export interface PaymentIntent extends StripeObjectBase {
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  /** The caller's filter on eligible methods (API 2026-10-28 replaced the payment_method_types parameter with it). */
  allowed_payment_method_types: string[] | null;
  automatic_payment_methods: { enabled: boolean; allow_redirects: 'always' | 'never' } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: CaptureMethod;
  client_secret: string;
  confirmation_method: 'automatic';
  currency: string;
  description: string | null;
  /** The Customer the payment belongs to (cus_...), whose saved PaymentMethods it may use. */
  customer: string | null;
  last_payment_error: PaymentError | null;
  latest_charge: string | null;
  next_action: NextAction | null;
  payment_method: string | null;
  payment_method_types: string[];
  receipt_email: string | null;
  /** Set: a successful payment saves its method (a new pm_... id) to `customer` for later use. */
  setup_future_usage: SetupFutureUsage | null;
  status: PaymentIntentStatus;
  transfer_group: string | null;
}

export interface Customer extends StripeObjectBase {
  object: 'customer';
  description: string | null;
  email: string | null;
  name: string | null;
}

export interface PaymentMethod extends StripeObjectBase {
  object: 'payment_method';
  type: 'card';
  card: { brand: string; last4: string; exp_month: number; exp_year: number };
  /** The Customer it is attached to, or null (usable once more at most, as at Stripe). */
  customer: string | null;
}

export interface Charge extends StripeObjectBase {
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  currency: string;
  failure_code: string | null;
  failure_message: string | null;
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  refunded: boolean;
  status: 'succeeded' | 'failed';
  transfer_group: string | null;
}

export interface CheckoutSession extends StripeObjectBase {
  object: 'checkout.session';
  allowed_payment_method_types: string[] | null;
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  currency: string;
  customer: string | null;
  customer_email: string | null;
  expires_at: number;
  mode: 'payment';
  payment_intent: string | null;
  payment_method_types: string[];
  payment_status: 'unpaid' | 'paid';
  status: 'open' | 'complete' | 'expired';
  success_url: string | null;
  url: string | null;
}

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface Refund extends StripeObjectBase {
  object: 'refund';
  amount: number;
  charge: string;
  currency: string;
  failure_reason: string | null;
  payment_intent: string;
  reason: RefundReason | null;
  status: 'pending' | 'succeeded' | 'failed';
}

export interface TransferReversal extends StripeObjectBase {
  object: 'transfer_reversal';
  amount: number;
  currency: string;
  transfer: string;
}

export interface Transfer extends StripeObjectBase {
  object: 'transfer';
  amount: number;
  amount_reversed: number;
  currency: string;
  description: string | null;
  destination: string;
  reversals: { object: 'list'; data: TransferReversal[]; has_more: false; total_count: number; url: string };
  reversed: boolean;
  source_transaction: string | null;
  transfer_group: string | null;
}

export type StripeObject = PaymentIntent | Charge | CheckoutSession | Refund | Transfer | TransferReversal | Customer | PaymentMethod;

/** Snapshots must not alias live records: later mutations would rewrite history. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}
