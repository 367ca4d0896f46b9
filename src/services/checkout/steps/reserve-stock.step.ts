import { requireStock, reservationsCover, type HeldUnits } from '../../inventory/checkout-stock';
import { heldOrAbort } from '../../inventory/held-units';
import { reservationCapFailure } from '../../cart/line-caps';
import { VariantKind } from '../../../entities';
import { abortWith } from '../../shared/outcome';
import { alwaysLocal, settlesLocally, type CheckoutStep, type ReservationData } from '../checkout-types';
import { CLAIM_CART_STEP } from './claim-cart.step';
import { PRICE_GUARD_STEP } from './price-guard.step';

export const RESERVE_STOCK_STEP = 'reserve-stock';

/** The record of the reservations; what they hold only when each variant has one stock row (else finalize looks itself). */
function recordOf(held: readonly HeldUnits[], oneWarehouseEach: boolean): ReservationData {
  const reservationIds = held.map((r) => r.id);
  if (!oneWarehouseEach) return { reservationIds };
  return { reservationIds, held: held.map((r) => ({ id: r.id, variantId: r.variantId, quantity: r.quantity, expiresAt: r.expiresAt.toISOString() })) };
}

/**
 * Step 3: every physical line reserved or none, and every DIGITAL line's
 * license units claimed against its cap (the license store), in the same
 * transaction: a refusal of either rolls back both. When the cart's preview reservations
 * (startCheckout's) still hold exactly its lines, they are taken as they are;
 * otherwise — no preview, a lapsed one, a changed cart — the lines are
 * reserved again under the stock row locks, replacing the earlier ones. A
 * checkout that settles in this transaction then takes the units off the
 * shelf at once (the order id is chosen up front) when every variant has one
 * warehouse; one that pays outside keeps them for the reservation lifetime.
 */
export const reserveStockStep: CheckoutStep<'reserve-stock'> = {
  id: RESERVE_STOCK_STEP,
  isLocal: alwaysLocal,
  async invoke(uow, run, deps) {
    const { stock, licenses } = deps.stores;
    const { ownReservations, stockRows } = run.output(CLAIM_CART_STEP);
    const { cart } = run.output(PRICE_GUARD_STEP);
    const now = deps.clock.now();
    const until = new Date(now.getTime() + deps.config.reservationTtlMs);
    // Hoarding cap: a line above MAX_RESERVED_UNITS_PER_LINE is never reserved, whatever an earlier preview holds.
    const overCap = reservationCapFailure(cart.lines, deps.config.maxReservedUnitsPerLine);
    if (overCap) abortWith(overCap);
    const demand = (kind: VariantKind) =>
      cart.lines.filter((line) => line.kind === kind).map((line) => ({ variantId: line.variantId, quantity: line.quantity }));
    // DIGITAL lines hold no stock: their license units are claimed against the cap instead (no statement without them).
    requireStock(await licenses.claim(uow, demand(VariantKind.DIGITAL)));
    const lines = demand(VariantKind.PHYSICAL);
    if (lines.length === 0) return { output: { reservationIds: [], converted: false }, compensation: { reservationIds: [] } };
    const oneWarehouseEach = stockRows === new Set(lines.map((line) => line.variantId)).size;
    let held: HeldUnits[];
    if (reservationsCover(ownReservations, lines, now)) {
      held = ownReservations;
      if (!settlesLocally(run.input)) {
        requireStock(await stock.extendHeld(uow, held, until));
        held = held.map((r) => ({ ...r, expiresAt: until }));
      }
    } else {
      held = heldOrAbort(await stock.reserve(uow, cart.id, lines, { now, until }), now);
    }
    const converted = settlesLocally(run.input) && oneWarehouseEach;
    if (converted) requireStock(await stock.convertHeld(uow, held, run.input.orderId));
    const record = recordOf(held, oneWarehouseEach);
    return { output: { ...record, converted }, compensation: record };
  },
  async compensate(em, { reservationIds }, deps) {
    await deps.db.transaction(em, (uow) => deps.stores.stock.release(uow, reservationIds));
  },
};
