import { releaseReservations, reserveCartLines } from '../../inventory/reservations';
import { alwaysLocal, type CheckoutStep } from '../checkout-types';
import { PRICE_GUARD_STEP } from './price-guard.step';

export const RESERVE_STOCK_STEP = 'reserve-stock';

/**
 * Step 3: every line reserved or none, under the stock row locks. Reservations
 * from startCheckout are replaced in the same transaction (their units count as
 * this cart's), so a lapsed preview is re-checked rather than trusted.
 */
export const reserveStockStep: CheckoutStep<'reserve-stock'> = {
  id: RESERVE_STOCK_STEP,
  isLocal: alwaysLocal,
  async invoke(tx, run, deps) {
    const { cart } = run.output(PRICE_GUARD_STEP);
    const now = deps.clock.now();
    const lines = cart.lines.getItems().map((line) => ({ variantId: line.variant.id, quantity: line.quantity }));
    const { reservationIds } = await reserveCartLines(tx, cart.id, lines, now, new Date(now.getTime() + deps.config.reservationTtlMs));
    return { output: { reservationIds }, compensation: { reservationIds } };
  },
  async compensate(em, { reservationIds }) {
    await em.transactional((tx) => releaseReservations(tx, reservationIds));
  },
};
