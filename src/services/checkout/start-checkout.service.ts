import type { Config } from '../../config';
import type { EntityManager } from '../../db/orm';
import type { Cart } from '../../entities';
import { lockOpenCart, type CartActor } from '../cart/cart-access';
import { reserveCartLines } from '../inventory/reservations';
import type { Clock } from '../shared/clock';
import { ErrorCode } from '../shared/error-code';
import { abortWith, userFailure, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { retryTransient } from '../saga/retry';
import { applyCurrentPrices } from './price-guard';

export interface CheckoutPreview {
  cart: Cart;
  versionKey: string;
  reservationsExpireAt: Date;
  warnings: string[];
}

/**
 * startCheckout: one transaction that re-validates prices (the lines take the
 * catalog's current prices and pricesValidatedAt is stamped) and reserves every
 * line or none until now + RESERVATION_TTL. Calling it again replaces the
 * cart's reservations (a refresh), it never adds to them.
 */
export class StartCheckoutService {
  constructor(private readonly em: EntityManager, private readonly deps: { config: Config; clock: Clock }) {}

  start(cartId: string, actor: CartActor): Promise<Outcome<CheckoutPreview>> {
    const { config, clock } = this.deps;
    return retryTransient(() =>
      transactionalOutcome(this.em, async (tx) => {
        const cart = await lockOpenCart(tx, cartId, actor);
        if (cart.lines.length === 0) abortWith(userFailure(ErrorCode.CART_EMPTY, 'The cart is empty.', 'cartId'));
        const now = clock.now();
        const review = await applyCurrentPrices(tx, cart, now, { driftBps: config.priceDriftBps, staleAfterMs: config.priceStaleAfterMs });
        const lines = cart.lines.getItems().map((line) => ({ variantId: line.variant.id, quantity: line.quantity }));
        const { expiresAt } = await reserveCartLines(tx, cart.id, lines, now, new Date(now.getTime() + config.reservationTtlMs));
        const warnings = review.changes.map((c) => `The price of ${c.variantId} changed from ${c.previous} to ${c.current} ${c.currency}.`);
        return { cart, versionKey: review.versionKey, reservationsExpireAt: expiresAt, warnings };
      }),
    );
  }
}
