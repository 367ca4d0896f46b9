import { PaymentMethodKind } from '../../../entities';
import { PaymentFailure } from '../../payments/payment-gateway';
import { abortWith, userFailure } from '../../shared/outcome';
import type { CheckoutStep, OrderData, PaymentData } from '../checkout-types';
import { CREATE_ORDER_STEP } from './create-order.step';

export const PAYMENT_STEP = 'payment';

/**
 * Step 6, the only one that may call out: no database transaction is open
 * while the provider works. Cash on delivery and store credit need no call.
 * Card and hosted payments go through the PaymentGateway port with the order
 * id as idempotency key; a typed provider failure (not configured, declined)
 * becomes a business failure after the compensations have run.
 */
export const paymentStep: CheckoutStep = {
  id: PAYMENT_STEP,
  async invoke(ctx, deps) {
    const kind = ctx.input.paymentMethod;
    if (kind === PaymentMethodKind.CASH_ON_DELIVERY || kind === PaymentMethodKind.STORE_CREDIT) {
      return ctx.record<PaymentData>({ providerReference: null });
    }
    const order = ctx.completed[CREATE_ORDER_STEP] as OrderData;
    try {
      const attempt = await deps.paymentGateway.startPayment({
        orderId: order.orderId,
        idempotencyKey: order.orderId,
        kind,
        amount: order.amountDue,
        currency: order.currency,
        email: order.email,
        paymentMethodId: ctx.input.stripePaymentMethodId,
        returnUrl: ctx.input.returnUrl,
      });
      if (attempt.status !== 'AUTHORIZED' && attempt.status !== 'CAPTURED') {
        // Webhook-finalized payments (3-D Secure, hosted pages) arrive with the Stripe adapter.
        throw new Error(`payment ${attempt.providerReference} needs asynchronous completion, which this build does not finalize`);
      }
      return ctx.record<PaymentData>({ providerReference: attempt.providerReference });
    } catch (error) {
      if (error instanceof PaymentFailure) return abortWith(userFailure(error.code, error.message, 'paymentMethod'));
      throw error;
    }
  },
  async compensate(_em, compensation, deps) {
    const { providerReference } = (compensation as PaymentData | null) ?? { providerReference: null };
    if (providerReference) await deps.paymentGateway.cancelPayment(providerReference, `cancel:${providerReference}`);
  },
};
