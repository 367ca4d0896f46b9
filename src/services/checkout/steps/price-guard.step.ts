import { ErrorCode } from '../../shared/error-code';
import { abortWith, type PriceChange } from '../../shared/outcome';
import { loadCheckoutCart, rememberPricedCart } from '../checkout-cart';
import type { CheckoutStep } from '../checkout-types';
import { applyCurrentPrices } from '../price-guard';

export const PRICE_GUARD_STEP = 'price-guard';

interface PriceGuardData { changes: PriceChange[]; needsAcknowledgement: boolean; versionKey: string }

/**
 * Step 2. Prices within the drift on a fresh preview are accepted silently;
 * anything else answers PriceChangedError with the cart's new key unless the
 * buyer already acknowledged it. The new prices are kept either way, so the
 * retry confirms exactly what the error showed.
 */
export const priceGuardStep: CheckoutStep = {
  id: PRICE_GUARD_STEP,
  async invoke(ctx, deps) {
    const policy = { driftBps: deps.config.priceDriftBps, staleAfterMs: deps.config.priceStaleAfterMs };
    const data: PriceGuardData = await ctx.local(async (tx) => {
      const cart = await loadCheckoutCart(tx, ctx.input.cartId, { lock: false });
      if (!cart) throw new Error(`cart ${ctx.input.cartId} vanished during its checkout`);
      const review = await applyCurrentPrices(tx, cart, deps.clock.now(), policy);
      rememberPricedCart(ctx, cart);
      return review;
    });
    if (data.needsAcknowledgement && !ctx.input.acknowledgePriceChange) {
      abortWith({
        kind: 'price_changed',
        code: ErrorCode.PRICE_CHANGED,
        message: 'Prices changed since you last saw them; review them and confirm with the new version key.',
        changes: data.changes,
        versionKey: data.versionKey,
      });
    }
    return data;
  },
  // Nothing to undo: the stored prices are now simply the current ones.
  async compensate() {},
};
