/**
 * The idempotency record of a confirmCheckout: scope `checkout`, keyed by the
 * cart and the version key the buyer confirmed. Checkout writes it; placing,
 * cancelling and settling an order complete or release it.
 */
export const CHECKOUT_IDEMPOTENCY_SCOPE = 'checkout';

export const idempotencyKeyFor = (cartId: string, versionKey: string): string => `${cartId}:${versionKey}`;
