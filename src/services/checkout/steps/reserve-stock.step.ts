import type { Stores } from '../../../db/stores';
import type { UnitOfWork } from '../../../db/unit-of-work';
import { requireStock, reservationsCover, type HeldUnits } from '../../inventory/checkout-stock';
import { heldOrAbort } from '../../inventory/held-units';
import { reservationCapFailure } from '../../cart/line-caps';
import { VariantKind } from '../../../entities';
import type { StepRun } from '../../saga/saga-types';
import { abortWith } from '../../shared/outcome';
import { alwaysLocal, type CheckoutDeps, type CheckoutSagaInput, type CheckoutShape, type CheckoutStep, type ReservationData } from '../checkout-types';
import { CLAIM_CART_STEP } from './claim-cart.step';
import { PRICE_GUARD_STEP } from './price-guard.step';

export const RESERVE_STOCK_STEP = 'reserve-stock';
export const TAKE_STOCK_STEP = 'take-stock';

/** The record of the reservations; what they hold only when each variant has one stock row (else the conversion looks itself). */
function recordOf(held: readonly HeldUnits[], oneWarehouseEach: boolean): ReservationData {
  const reservationIds = held.map((r) => r.id);
  if (!oneWarehouseEach) return { reservationIds };
  return { reservationIds, held: held.map((r) => ({ id: r.id, variantId: r.variantId, quantity: r.quantity, expiresAt: r.expiresAt.toISOString() })) };
}

/** The cart's units held for this checkout: its preview's reservations when they still cover it, else reserved again. */
interface CartHold {
  held: HeldUnits[];
  /** The preview's reservations, taken as they are (their expiry is the preview's). */
  fromPreview: boolean;
  oneWarehouseEach: boolean;
}

/**
 * Every physical line reserved or none, and every DIGITAL line's license units
 * claimed against its cap (the license store), in the same transaction: a
 * refusal of either rolls back both. When the cart's preview reservations
 * (startCheckout's) still hold exactly its lines, they are taken as they are;
 * otherwise — no preview, a lapsed one, a changed cart — the lines are
 * reserved again under the stock row locks, replacing the earlier ones.
 * Null when the cart has no physical line.
 */
async function holdCartUnits(uow: UnitOfWork, run: StepRun<CheckoutSagaInput, CheckoutShape>, deps: CheckoutDeps, until: Date): Promise<CartHold | null> {
  const { stock, licenses } = deps.stores;
  const { ownReservations, stockRows } = run.output(CLAIM_CART_STEP);
  const { cart } = run.output(PRICE_GUARD_STEP);
  const now = deps.clock.now();
  // Hoarding cap: a line above MAX_RESERVED_UNITS_PER_LINE is never reserved, whatever an earlier preview holds.
  const overCap = reservationCapFailure(cart.lines, deps.config.maxReservedUnitsPerLine);
  if (overCap) abortWith(overCap);
  const demand = (kind: VariantKind) => cart.lines.filter((line) => line.kind === kind).map((line) => ({ variantId: line.variantId, quantity: line.quantity }));
  // DIGITAL lines hold no stock: their license units are claimed against the cap instead (no statement without them).
  requireStock(await licenses.claim(uow, demand(VariantKind.DIGITAL)));
  const lines = demand(VariantKind.PHYSICAL);
  if (lines.length === 0) return null;
  const oneWarehouseEach = stockRows === new Set(lines.map((line) => line.variantId)).size;
  if (reservationsCover(ownReservations, lines, now)) return { held: ownReservations, fromPreview: true, oneWarehouseEach };
  return { held: heldOrAbort(await stock.reserve(uow, cart.id, lines, { now, until }), now), fromPreview: false, oneWarehouseEach };
}

/**
 * The reservations become stock decrements naming the order: at once
 * (convertHeld) when the record says what they hold (one warehouse per
 * variant) and they have not lapsed, else through the general conversion,
 * which re-checks lapsed units under the stock row locks. Fails closed
 * (INSUFFICIENT_STOCK).
 */
export async function takeReservedUnits(
  uow: UnitOfWork,
  { stock }: Pick<Stores, 'stock'>,
  cartId: string,
  reserved: ReservationData,
  orderId: string,
  now: Date,
): Promise<void> {
  if (reserved.reservationIds.length === 0) return; // only digital lines: nothing was reserved
  const held = reserved.held?.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
  if (held && held.every((r) => r.expiresAt.getTime() > now.getTime())) return requireStock(await stock.convertHeld(uow, held, orderId));
  requireStock(await stock.convert(uow, cartId, reserved.reservationIds, orderId, now));
}

const NOTHING_HELD = { output: { reservationIds: [] }, compensation: { reservationIds: [] } };

/**
 * Step 3 of the provider path: the cart's units held until the buyer has paid
 * (RESERVATION_TTL from now, a preview's hold extended to it); finalize turns
 * them into a sale once the provider answers, the compensation frees them.
 */
export const reserveStockStep: CheckoutStep<'reserve-stock'> = {
  id: RESERVE_STOCK_STEP,
  isLocal: alwaysLocal,
  async invoke(uow, run, deps) {
    const until = new Date(deps.clock.now().getTime() + deps.config.reservationTtlMs);
    const hold = await holdCartUnits(uow, run, deps, until);
    if (!hold) return NOTHING_HELD;
    let { held } = hold;
    if (hold.fromPreview) {
      requireStock(await deps.stores.stock.extendHeld(uow, held, until));
      held = held.map((r) => ({ ...r, expiresAt: until }));
    }
    const record = recordOf(held, hold.oneWarehouseEach);
    return { output: record, compensation: record };
  },
  async compensate(em, { reservationIds }, deps) {
    await deps.db.transaction(em, (uow) => deps.stores.stock.release(uow, reservationIds));
  },
};

/**
 * Step 3 of the local path: the cart's units leave stock now, sold to the
 * order the saga names up front, in the path's one transaction (a rollback
 * puts them back). A preview's hold is taken as it is; nothing is extended,
 * since no buyer is waited for.
 */
export const takeStockStep: CheckoutStep<'take-stock'> = {
  id: TAKE_STOCK_STEP,
  isLocal: alwaysLocal,
  async invoke(uow, run, deps) {
    const now = deps.clock.now();
    const hold = await holdCartUnits(uow, run, deps, new Date(now.getTime() + deps.config.reservationTtlMs));
    if (!hold) return NOTHING_HELD;
    const record = recordOf(hold.held, hold.oneWarehouseEach);
    await takeReservedUnits(uow, deps.stores, run.input.cartId, record, run.input.orderId, now);
    return { output: record, compensation: record };
  },
  // The local path commits once, at its end, so a failure rolls the sale back with everything else; releasing
  // only moves ACTIVE reservations, so running this on a sold record changes nothing.
  async compensate(em, { reservationIds }, deps) {
    await deps.db.transaction(em, (uow) => deps.stores.stock.release(uow, reservationIds));
  },
};
