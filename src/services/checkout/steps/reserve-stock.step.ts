import { convertHeldUnits, extendHeldUnits, reservationsCover } from '../../inventory/checkout-stock';
import { releaseReservations, reserveCartLines } from '../../inventory/reservations';
import { alwaysLocal, settlesLocally, type CheckoutStep } from '../checkout-types';
import { CLAIM_CART_STEP } from './claim-cart.step';
import { PRICE_GUARD_STEP } from './price-guard.step';

export const RESERVE_STOCK_STEP = 'reserve-stock';

/**
 * Step 3: every line reserved or none. When the cart's preview reservations
 * (startCheckout's) still hold exactly its lines, they are taken as they are:
 * a checkout that settles here converts them and lowers on hand at once (the
 * order id is chosen up front), one that pays outside keeps them until the
 * reservation lifetime from now. Otherwise — no preview, a lapsed one, a
 * changed cart, a variant stocked in several warehouses — the lines are
 * reserved again under the stock row locks, replacing the earlier ones.
 */
export const reserveStockStep: CheckoutStep<'reserve-stock'> = {
  id: RESERVE_STOCK_STEP,
  isLocal: alwaysLocal,
  async invoke(tx, run, deps) {
    const { ownReservations, stockRows } = run.output(CLAIM_CART_STEP);
    const { cart } = run.output(PRICE_GUARD_STEP);
    const now = deps.clock.now();
    const until = new Date(now.getTime() + deps.config.reservationTtlMs);
    const lines = cart.lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity }));
    const oneWarehouseEach = stockRows === new Set(lines.map((line) => line.variantId)).size;
    if (oneWarehouseEach && reservationsCover(ownReservations, lines, now)) {
      const reservationIds = ownReservations.map((r) => r.id);
      const converted = settlesLocally(run.input);
      if (converted) await convertHeldUnits(tx, ownReservations, run.input.orderId);
      else await extendHeldUnits(tx, ownReservations, until);
      return { output: { reservationIds, converted }, compensation: { reservationIds } };
    }
    const { reservationIds } = await reserveCartLines(tx, cart.id, lines, now, until);
    return { output: { reservationIds, converted: false }, compensation: { reservationIds } };
  },
  async compensate(em, { reservationIds }) {
    await em.transactional((tx) => releaseReservations(tx, reservationIds));
  },
};
