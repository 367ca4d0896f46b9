import { License, Order, OrderStatus, Variant } from '../../src/entities';
import { buildDigitalVariant } from '../factories/catalog.factory';
import { buildCart } from '../factories/cart.factory';
import { versionKeyOf } from '../factories/checkout.factory';
import { assertCheckoutInvariants } from '../support/invariants';
import { usePaymentsApp } from '../support/payments-app';
import { confirm } from '../integration/payments/payments-harness';

/** 20 real concurrent card checkouts (own carts, own connections) for a DIGITAL variant capped at 5 licenses. */
describe('license cap races on PostgreSQL', () => {
  // All 20 come from one address: the one-checkout-in-flight limit would otherwise refuse them before the cap is reached.
  const h = usePaymentsApp({ env: { RATE_LIMITS: 'off' } });

  it('when 20 buyers pay by card for a variant capped at 5 licenses, then exactly 5 are placed and 15 refused with the shortfall, and only 5 are charged', async () => {
    const variant = await buildDigitalVariant(h.app.orm.em.fork(), { price: 1_000, maxLicenses: 5 });
    const carts = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const cart = await buildCart(h.app.orm.em.fork(), { email: `racer-${i}@example.com`, lines: [{ variant, quantity: 1 }] });
        return { cartId: cart.id, versionKey: await versionKeyOf(h.app.orm.em.fork(), cart.id) };
      }),
    );

    const answers = await Promise.all(carts.map((c) => confirm(h.app, { ...c, paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' })));

    const placed = answers.filter((a) => a.__typename === 'CheckoutConfirmation');
    const refused = answers.filter((a) => a.__typename === 'InsufficientStockError');
    expect(placed.map((a) => a.order.status)).toEqual(Array(5).fill('PLACED'));
    expect(refused).toHaveLength(15);
    expect(
      refused.every(
        (a) => a.shortfalls.length === 1 && a.shortfalls[0].variantId === variant.id && a.shortfalls[0].requested === 1 && a.shortfalls[0].available === 0,
      ),
    ).toBe(true);
    const em = h.app.orm.em.fork();
    expect(await em.count(License, { variantId: variant.id })).toBe(5);
    expect((await em.findOneOrFail(Variant, { id: variant.id })).licensesClaimed).toBe(5);
    expect(await em.count(Order, { status: OrderStatus.PLACED })).toBe(5);
    expect(h.stripe.emulator.createdObjects('payment_intent')).toHaveLength(5);
    await assertCheckoutInvariants(h.app.orm);
  });
});
