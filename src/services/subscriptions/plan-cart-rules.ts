import { PaymentMethodKind, type VariantKind } from '../../entities';
import { isPlan } from '../catalog/variant-kinds';
import { ErrorCode } from '../shared/error-code';
import { userFailure, type Failure } from '../shared/outcome';

interface PlanCartLine {
  kind: VariantKind;
  quantity: number;
}

const refuse = (message: string, field: string): Failure => userFailure(ErrorCode.VALIDATION_FAILED, message, field);

/**
 * A plan is bought by a signed-in customer, as one line of quantity 1, alone
 * in its cart (its renewals bill the plan and nothing else). Checked wherever
 * a cart's lines change (addCartLine, updateCartLine) and again at
 * startCheckout and confirm. Null when the lines fit, including every cart
 * without a plan, which costs nothing (no statement, only this scan).
 */
export function planCartFailure(lines: readonly PlanCartLine[], customerId: string | null): Failure | null {
  const plans = lines.filter((line) => isPlan(line.kind));
  if (plans.length === 0) return null;
  if (!customerId) return refuse('Sign in to buy a plan: a guest cannot subscribe.', 'cartId');
  if (lines.length > 1) return refuse('A plan is bought on its own: use a cart that holds only the plan.', 'variantId');
  if (plans[0].quantity !== 1) return refuse('A plan is bought once: its quantity is 1.', 'quantity');
  return null;
}

/** Cash on delivery promises money later; a plan grants access when its order is placed, so it is never paid that way. */
export function planPaymentFailure(lines: readonly PlanCartLine[], paymentMethod: PaymentMethodKind): Failure | null {
  if (paymentMethod !== PaymentMethodKind.CASH_ON_DELIVERY || !lines.some((line) => isPlan(line.kind))) return null;
  return refuse('Cash on delivery cannot pay for a plan: pay by card, hosted checkout or store credit.', 'paymentMethod');
}
