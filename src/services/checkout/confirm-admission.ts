import type { Config } from '../../config';
import type { EntityManager } from '../../db/orm';
import type { AppDeps } from '../app-deps';
import { PaymentMethodKind } from '../../entities';
import { returnUrlFailure } from '../payments/return-url';
import { ErrorCode } from '../shared/error-code';
import { userFailure, type Failure } from '../shared/outcome';
import type { ConfirmCheckoutCommand } from './checkout-types';

/**
 * Refusals of a confirmCheckout that are settled before the saga starts, so a
 * refused confirm writes nothing at all: no claim, no reservation, no order.
 *
 * - returnUrl must stay on the shop's own origins (return-url.ts).
 * - GUEST_COD=off (the default): a guest order paid cash on delivery takes
 *   stock without anyone paying and only an admin could cancel it, so a
 *   stranger could empty a variant for good. Whether the order would
 *   be a guest's is the cart's to say (a signed-in caller may confirm a guest
 *   cart, and the order then has no customer either), so the cart's owner is
 *   read, and only for cash on delivery with the switch off: every other
 *   confirm costs no statement here.
 *
 * A cart that does not exist is left to the saga, which answers NOT_FOUND as it
 * always has; a customer's cart is never a guest's, so nothing here tells a
 * stranger whether a cart exists.
 */
export async function refuseBeforeCheckout(
  em: EntityManager,
  command: Pick<ConfirmCheckoutCommand, 'cartId' | 'paymentMethod' | 'returnUrl'>,
  deps: Pick<AppDeps, 'db' | 'stores'> & { config: Pick<Config, 'publicUrl' | 'allowedReturnOrigins' | 'guestCashOnDelivery'> },
): Promise<Failure | null> {
  const { config } = deps;
  const badReturn = returnUrlFailure(command.returnUrl, config);
  if (badReturn) return badReturn;
  if (command.paymentMethod !== PaymentMethodKind.CASH_ON_DELIVERY || config.guestCashOnDelivery) return null;
  if (await deps.stores.checkouts.isGuestCart(deps.db.unitOfWork(em.fork()), command.cartId)) {
    return userFailure(ErrorCode.VALIDATION_FAILED, 'Cash on delivery needs a signed-in account; sign in or choose another payment method.', 'paymentMethod');
  }
  return null;
}
