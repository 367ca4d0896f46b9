import { Cart, CartStatus } from '../../../entities';
import type { CartSnapshot } from '../../cart/cart-snapshot';
import { priceSnapshot, snapshotVersionKey } from '../../cart/cart-snapshot';
import { ErrorCode } from '../../shared/error-code';
import { abortWith } from '../../shared/outcome';
import { transition } from '../../state/transition';
import { alwaysLocal, type CheckoutStep } from '../checkout-types';
import { reviewSnapshotPrices } from '../price-guard';
import { CLAIM_CART_STEP } from './claim-cart.step';

export const PRICE_GUARD_STEP = 'price-guard';

/** The cart with every line at its catalog price: what this checkout charges once the guard passed. */
const atCatalogPrices = (cart: CartSnapshot): CartSnapshot => ({
  ...cart,
  lines: cart.lines.map((line) => ({ ...line, unitPrice: line.catalogPrice })),
});

/**
 * Step 2. Prices within the drift on a fresh preview are accepted silently;
 * anything else answers PriceChangedError with the cart's new key unless the
 * buyer already acknowledged it (the saga's afterRollback then writes exactly
 * the prices the error showed, so the retry confirms what it showed).
 * `keepCartForRetry`: the provider path commits before it calls out and may
 * be retried, so the cart's lines take the accepted prices and it moves to
 * CHECKING_OUT, in one statement each. The local path converts the cart in
 * its one transaction, so nothing on it needs rewriting: the order records
 * the prices.
 */
export const priceGuardStep = (options: { keepCartForRetry: boolean }): CheckoutStep<'price-guard'> => ({
  id: PRICE_GUARD_STEP,
  isLocal: alwaysLocal,
  async invoke(uow, run, deps) {
    const tx = uow.em;
    const { snapshot } = run.output(CLAIM_CART_STEP);
    const now = deps.clock.now();
    const review = reviewSnapshotPrices(snapshot, now, { driftBps: deps.config.priceDriftBps, staleAfterMs: deps.config.priceStaleAfterMs });
    const cart = atCatalogPrices(snapshot);
    if (review.needsAcknowledgement && !run.input.acknowledgePriceChange) {
      abortWith({
        kind: 'price_changed',
        code: ErrorCode.PRICE_CHANGED,
        message: 'Prices changed since you last saw them; review them and confirm with the new version key.',
        changes: review.changes,
        versionKey: snapshotVersionKey(cart),
      });
    }
    const reads = { carts: deps.stores.carts, uow };
    if (options.keepCartForRetry) {
      if (review.changes.length > 0) await reads.carts.setLinePrices(reads.uow, cart.lines);
      await transition(tx, Cart, cart.id, CartStatus.OPEN, CartStatus.CHECKING_OUT, { pricesValidatedAt: now });
    }
    // One pricing for every later step (invariant 2); the inputs came with the cart, so no statement.
    const { pricing } = await priceSnapshot(reads, cart);
    return { output: { cart, pricing }, compensation: null };
  },
  // Nothing to undo: the stored prices are now simply the current ones.
  async compensate() {},
});
