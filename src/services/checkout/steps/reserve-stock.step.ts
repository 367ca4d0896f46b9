import { releaseReservations, reserveCartLines } from '../../inventory/reservations';
import { pricedCheckoutCart } from '../checkout-cart';
import type { CheckoutStep, ReservationData } from '../checkout-types';

export const RESERVE_STOCK_STEP = 'reserve-stock';

/**
 * Step 3: every line reserved or none, under the stock row locks. Reservations
 * from startCheckout are replaced in the same transaction (their units count as
 * this cart's), so a lapsed preview is re-checked rather than trusted.
 */
export const reserveStockStep: CheckoutStep = {
  id: RESERVE_STOCK_STEP,
  invoke(ctx, deps) {
    return ctx.local(async (tx): Promise<ReservationData> => {
      const cart = await pricedCheckoutCart(ctx, tx);
      const now = deps.clock.now();
      const lines = cart.lines.getItems().map((line) => ({ variantId: line.variant.id, quantity: line.quantity }));
      const { reservationIds } = await reserveCartLines(tx, cart.id, lines, now, new Date(now.getTime() + deps.config.reservationTtlMs));
      return { reservationIds };
    });
  },
  async compensate(em, compensation) {
    const { reservationIds } = compensation as ReservationData;
    await em.transactional((tx) => releaseReservations(tx, reservationIds));
  },
};
