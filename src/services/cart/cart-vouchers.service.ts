import type { Cart } from '../../entities';
import { Voucher } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, userFailure, type Outcome } from '../shared/outcome';
import { cartNotFound } from './cart-access';
import { changeOpenCart, UNCHANGED, type CartServiceDeps } from './cart-change';
import { cartSubtotal } from './cart-pricing';
import { checkVoucherEligibility, normalizeVoucherCode, voucherCustomerKey } from './voucher-eligibility';

export interface CartVoucherCommand { cartId: string; code: string }

/** Longest code a voucher can have (the column length); anything longer cannot exist. */
export const MAX_VOUCHER_CODE_LENGTH = 64;
/** Enough for any real promotion stack; keeps a cart from collecting codes without bound. */
export const MAX_VOUCHERS_PER_CART = 10;

const voucherNotFound = () => userFailure(ErrorCode.VOUCHER_NOT_FOUND, 'No voucher with this code.', 'code');

/**
 * Vouchers on a cart. Applying one checks eligibility so the buyer learns early
 * why a code does not work; nothing is redeemed or counted here — checkout holds
 * the redemption under the voucher's caps.
 */
export class CartVoucherService {
  constructor(private readonly deps: CartServiceDeps) {}

  async applyVoucher(command: CartVoucherCommand): Promise<Outcome<Cart>> {
    const code = normalizeVoucherCode(command.code);
    const invalid = commandFailure(command.cartId, code);
    if (invalid) return { ok: false, failure: invalid };
    return changeOpenCart(this.deps, command.cartId, async (tx, cart, now) => {
      const voucher = await tx.findOne(Voucher, { code });
      if (!voucher) return abortWith(voucherNotFound());
      const ineligible = await checkVoucherEligibility(tx, voucher, {
        currency: cart.currency,
        subtotal: await cartSubtotal(cart),
        customerKey: voucherCustomerKey({ customerId: cart.customer?.id ?? null, email: cart.email }),
        now,
      });
      if (ineligible) return abortWith(ineligible);
      if (cart.voucherCodes.includes(voucher.code)) return UNCHANGED;
      if (cart.voucherCodes.length >= MAX_VOUCHERS_PER_CART) {
        return abortWith(userFailure(ErrorCode.VOUCHER_NOT_APPLICABLE, `A cart holds at most ${MAX_VOUCHERS_PER_CART} vouchers.`, 'code'));
      }
      cart.voucherCodes = [...cart.voucherCodes, voucher.code];
      return undefined;
    });
  }

  async removeVoucher(command: CartVoucherCommand): Promise<Outcome<Cart>> {
    const code = normalizeVoucherCode(command.code);
    const invalid = commandFailure(command.cartId, code);
    if (invalid) return { ok: false, failure: invalid };
    return changeOpenCart(this.deps, command.cartId, async (_tx, cart) => {
      if (!cart.voucherCodes.includes(code)) return abortWith(userFailure(ErrorCode.VOUCHER_NOT_FOUND, 'This voucher is not on the cart.', 'code'));
      cart.voucherCodes = cart.voucherCodes.filter((applied) => applied !== code);
    });
  }
}

/** Shape checks before any SQL: a malformed cart id or an impossible code cannot match anything. */
function commandFailure(cartId: string, code: string) {
  if (!isId(cartId)) return cartNotFound();
  if (code.length === 0 || code.length > MAX_VOUCHER_CODE_LENGTH) return voucherNotFound();
  return null;
}
