import { ErrorCode } from '../../shared/error-code';
import { abortWith } from '../../shared/outcome';
import { alwaysLocal, type CheckoutStep } from '../checkout-types';
import { applyCurrentPrices } from '../price-guard';
import { CLAIM_CART_STEP } from './claim-cart.step';

export const PRICE_GUARD_STEP = 'price-guard';

/**
 * Step 2. Prices within the drift on a fresh preview are accepted silently;
 * anything else answers PriceChangedError with the cart's new key unless the
 * buyer already acknowledged it. The lines take the catalog's prices in this
 * transaction; when the error rolls it back, the saga's afterRollback writes
 * exactly the prices the error showed, so the retry confirms what it showed.
 */
export const priceGuardStep: CheckoutStep<'price-guard'> = {
  id: PRICE_GUARD_STEP,
  isLocal: alwaysLocal,
  async invoke(tx, run, deps) {
    const { cart } = run.output(CLAIM_CART_STEP);
    const policy = { driftBps: deps.config.priceDriftBps, staleAfterMs: deps.config.priceStaleAfterMs };
    const review = await applyCurrentPrices(tx, cart, deps.clock.now(), policy);
    if (review.needsAcknowledgement && !run.input.acknowledgePriceChange) {
      abortWith({
        kind: 'price_changed',
        code: ErrorCode.PRICE_CHANGED,
        message: 'Prices changed since you last saw them; review them and confirm with the new version key.',
        changes: review.changes,
        versionKey: review.versionKey,
      });
    }
    return { output: { cart }, compensation: null };
  },
  // Nothing to undo: the stored prices are now simply the current ones.
  async compensate() {},
};
