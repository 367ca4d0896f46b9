import { holdsStock } from '../catalog/variant-kinds';
import { planCartFailure } from '../subscriptions/plan-cart-rules';
import { liveSubscriptionFailure } from '../subscriptions/start-subscription';
import type { Session } from '../../db/request-session';
import type { AppDeps } from '../app-deps';
import type { CartActor } from '../cart/cart-access';
import { cartNotFound } from '../cart/cart-access';
import { changeOpenCart } from '../cart/cart-change';
import { snapshotVersionKey, type CartSnapshot } from '../cart/cart-snapshot';
import { reservationCapFailure } from '../cart/line-caps';
import { HeldUnitsCapReached, heldOrAbort, stockHolderOf, type StockHolder } from '../inventory/held-units';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { logger } from '../shared/logger';
import { abortWith, success, userFailure, type Outcome } from '../shared/outcome';
import { retryTransient } from '../shared/db-retry';
import { snapshotPriceChanges } from './price-guard';

export interface CheckoutPreview {
  cart: CartSnapshot;
  versionKey: string;
  reservationsExpireAt: Date;
  warnings: string[];
}

/**
 * startCheckout's answer: the preview or a business failure of the cart, or
 * (no fault of the cart) the client already holds its cap of units in other
 * open checkouts: nothing was reserved, and the caller answers RATE_LIMITED.
 */
export type StartCheckoutOutcome = Outcome<CheckoutPreview> | { ok: false; capReached: HeldUnitsCapReached };

/** A cart whose own units exceed the client's cap can never be held: refused as the line cap refuses a line. */
const overHoldCap = (maxUnits: number) =>
  userFailure(ErrorCode.VALIDATION_FAILED, `A checkout can hold at most ${maxUnits} units at a time; lower the quantities.`, 'quantity');

/**
 * startCheckout: one cart change (changeOpenCart: claim, one read) that
 * re-validates prices — the lines take the catalog's current prices, written in
 * one statement when any moved, and pricesValidatedAt is stamped on the claim —
 * and reserves every line or none until now + RESERVATION_TTL (GUEST_HOLD_TTL
 * for a client not signed in). Calling it again replaces the cart's
 * reservations (a refresh), it never adds to them, and it never moves the end
 * of a live hold later: the hold lasts its TTL from its first reservation,
 * however often the preview is refreshed (a cart re-running startCheckout kept
 * stock out of sale for ever). Once a hold has lapsed, the next call starts a
 * new one. A line above MAX_RESERVED_UNITS_PER_LINE is not reserved at all
 * (line-caps.ts), nor a hold that would take its client past its cap of held
 * units (held-units.ts). A customer who holds the cart's plan live gets
 * ALREADY_SUBSCRIBED here, before anything is held (start-subscription.ts).
 */
export class StartCheckoutService {
  constructor(
    private readonly session: Session,
    private readonly deps: Pick<AppDeps, 'config' | 'clock' | 'tokens' | 'db' | 'stores'>,
  ) {}

  async start(cartId: string, actor: CartActor, clientAddress: string): Promise<StartCheckoutOutcome> {
    const holder = stockHolderOf({ customerId: actor.customerId, clientAddress }, this.deps);
    try {
      return await this.previewAndHold(cartId, actor, holder);
    } catch (error) {
      if (!(error instanceof HeldUnitsCapReached)) throw error;
      logger.info('rate_limit.refused', { limit: 'held-units', holder: holder.key, retryAfterMs: error.retryAfterMs });
      return { ok: false, capReached: error };
    }
  }

  private previewAndHold(cartId: string, actor: CartActor, holder: StockHolder): Promise<Outcome<CheckoutPreview>> {
    if (!isId(cartId)) return Promise.resolve({ ok: false, failure: cartNotFound() });
    const { config, clock, stores } = this.deps;
    const { carts } = stores;
    return retryTransient(async () => {
      const now = clock.now();
      // Filled in by the change (the transaction's result is the cart itself).
      const preview = { reservationsExpireAt: now, warnings: [] as string[] };
      // The cart's current hold (the earliest expiry of its live reservations) is read with the cart.
      const plan = { now, presets: { pricesValidatedAt: now }, lookups: { holdEndAfter: now } };
      const outcome = await changeOpenCart({ session: this.session, actor, deps: this.deps }, cartId, plan, async ({ uow, snapshot, found }) => {
        if (snapshot.lines.length === 0) return abortWith(userFailure(ErrorCode.CART_EMPTY, 'The cart is empty.', 'cartId'));
        const planRefused = planCartFailure(snapshot.lines, snapshot.customerId) ?? (await liveSubscriptionFailure(uow, stores.subscriptions, snapshot));
        if (planRefused) return abortWith(planRefused);
        const overCap = reservationCapFailure(snapshot.lines, config.maxReservedUnitsPerLine);
        if (overCap) return abortWith(overCap);
        const changes = snapshotPriceChanges(snapshot.lines);
        const lines = snapshot.lines.map((line) => ({ ...line, unitPrice: line.catalogPrice }));
        await carts.setLinePrices(
          uow,
          lines.filter((line) => changes.some((change) => change.variantId === line.variantId)),
        );
        // DIGITAL lines and plans hold no stock; a license cap is claimed at confirm.
        const demand = lines.filter((line) => holdsStock(line.kind)).map((line) => ({ variantId: line.variantId, quantity: line.quantity }));
        if (holder.maxUnits !== null && demand.reduce((units, line) => units + line.quantity, 0) > holder.maxUnits)
          return abortWith(overHoldCap(holder.maxUnits));
        const { holdEndsAt } = found;
        const fullTerm = now.getTime() + holder.ttlMs;
        const until = new Date(holdEndsAt ? Math.min(holdEndsAt.getTime(), fullTerm) : fullTerm);
        heldOrAbort(await stores.stock.reserve(uow, snapshot.id, demand, { now, until, holder }), now);
        const warnings = changes.map((c) => `The price of ${c.variantId} changed from ${c.previous} to ${c.current} ${c.currency}.`);
        Object.assign(preview, { reservationsExpireAt: until, warnings });
        return { ...snapshot, lines };
      });
      if (!outcome.ok) return outcome;
      return success({ cart: outcome.value, versionKey: snapshotVersionKey(outcome.value), ...preview });
    });
  }
}
