import type { Session } from '../../db/request-session';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, userFailure, type Outcome } from '../shared/outcome';
import { cartNotFound, type CartActor } from './cart-access';
import { changeOpenCart, UNCHANGED, type CartWriter } from './cart-change';
import { snapshotSubtotal } from './cart-pricing';
import type { CartSnapshot } from './cart-snapshot';
import { MAX_VOUCHER_CODE_LENGTH, normalizeVoucherCode } from '../vouchers/voucher-codes';
import { checkVoucherEligibility, voucherCustomerKey } from '../vouchers/voucher-eligibility';
import type { VoucherSnapshot } from '../../db/stores/voucher-store';

export interface CartVoucherCommand {
  cartId: string;
  code: string;
}

/** Enough for any real promotion stack; keeps a cart from collecting codes without bound. */
export const MAX_VOUCHERS_PER_CART = 10;

const voucherNotFound = () => userFailure(ErrorCode.VOUCHER_NOT_FOUND, 'No voucher with this code.', 'code');

/**
 * Vouchers on a cart. Applying one checks eligibility so the buyer learns early
 * why a code does not work; nothing is redeemed or counted here — checkout holds
 * the redemption under the voucher's caps.
 */
export class CartVoucherService {
  constructor(
    private readonly session: Session,
    private readonly deps: Pick<AppDeps, 'clock' | 'db' | 'stores'>,
  ) {}

  /** The voucher is read with the cart; only a per-customer limit costs one more statement (counting that buyer's uses). */
  async applyVoucher(command: CartVoucherCommand, actor: CartActor): Promise<Outcome<CartSnapshot>> {
    const code = normalizeVoucherCode(command.code);
    const invalid = commandFailure(command.cartId, code);
    if (invalid) return { ok: false, failure: invalid };
    const now = this.deps.clock.now();
    const scope = { session: this.session, actor, deps: this.deps };
    return changeOpenCart(scope, command.cartId, { now, lookups: { voucher: code }, optimistic: true }, async ({ uow, snapshot, found, write }) => {
      const { voucher } = found;
      if (!voucher) return abortWith(voucherNotFound());
      const ineligible = await checkVoucherEligibility(uow, voucher, {
        currency: snapshot.currency,
        subtotal: snapshotSubtotal(snapshot),
        customerKey: voucherCustomerKey(snapshot),
        now,
      });
      if (ineligible) return abortWith(ineligible);
      if (snapshot.voucherCodes.includes(voucher.code)) return UNCHANGED;
      if (snapshot.voucherCodes.length >= MAX_VOUCHERS_PER_CART) {
        return abortWith(userFailure(ErrorCode.VOUCHER_NOT_APPLICABLE, `A cart holds at most ${MAX_VOUCHERS_PER_CART} vouchers.`, 'code'));
      }
      return writeCodes(write, snapshot, [...snapshot.voucherCodes, voucher.code], [...snapshot.pricingInputs.vouchers, voucher]);
    });
  }

  async removeVoucher(command: CartVoucherCommand, actor: CartActor): Promise<Outcome<CartSnapshot>> {
    const code = normalizeVoucherCode(command.code);
    const invalid = commandFailure(command.cartId, code);
    if (invalid) return { ok: false, failure: invalid };
    const scope = { session: this.session, actor, deps: this.deps };
    return changeOpenCart(scope, command.cartId, { now: this.deps.clock.now(), optimistic: true }, async ({ snapshot, write }) => {
      if (!snapshot.voucherCodes.includes(code)) return abortWith(userFailure(ErrorCode.VOUCHER_NOT_FOUND, 'This voucher is not on the cart.', 'code'));
      const codes = snapshot.voucherCodes.filter((applied) => applied !== code);
      return writeCodes(
        write,
        snapshot,
        codes,
        snapshot.pricingInputs.vouchers.filter((voucher) => voucher.code !== code),
      );
    });
  }
}

/** Stores the new code list and answers with pricing inputs that match it, so the answer is priced without another read. */
async function writeCodes(write: CartWriter, snapshot: CartSnapshot, voucherCodes: string[], vouchers: VoucherSnapshot[]): Promise<CartSnapshot> {
  await write.fields({ voucherCodes });
  return { ...snapshot, voucherCodes, pricingInputs: { ...snapshot.pricingInputs, voucherCodes, vouchers } };
}

/** Shape checks before any read: a malformed cart id or an impossible code cannot match anything. */
function commandFailure(cartId: string, code: string) {
  if (!isId(cartId)) return cartNotFound();
  if (code.length === 0 || code.length > MAX_VOUCHER_CODE_LENGTH) return voucherNotFound();
  return null;
}
