import type { RequestSession } from '../../../src/db/request-session';
import { Cart, VoucherKind } from '../../../src/entities';
import { CartService } from '../../../src/services/cart/cart.service';
import { CartVoucherService } from '../../../src/services/cart/cart-vouchers.service';
import { StartCheckoutService } from '../../../src/services/checkout/start-checkout.service';
import { anAddress } from '../../factories/cart.factory';
import { buildProduct, buildShippingMethod, buildTaxRate, buildVoucher } from '../../factories/catalog.factory';
import { useCartTestApp } from '../cart/cart-test-app';

/**
 * A request's session (db/request-session.ts) forks an EntityManager only when
 * something loads an entity: the storefront's cart changes and startCheckout
 * run the stores' statements alone, so they fork none.
 */
describe('RequestSession: a request forks an EntityManager only to load an entity', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const actor = { customerId: null, isAdmin: false };

  async function storefront() {
    const { variants } = await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 20 }] });
    const method = await buildShippingMethod(em(), { price: 490, currency: 'EUR' });
    await buildTaxRate(em(), 'DE', 1_900);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 1_000 });
    return { variant: variants[0], method, voucher };
  }

  it('when a guest builds a cart and starts checkout, each request in a session of its own, then no session forks a manager and the cart is held', async () => {
    const { variant, method, voucher } = await storefront();
    const deps = h.app.tillgate.deps;
    const sessions: RequestSession[] = [];
    const session = () => {
      const opened = deps.db.session();
      sessions.push(opened);
      return opened;
    };
    const cart = await new CartService(session(), deps).createCart({ currency: 'EUR', email: 'session@example.com' }, actor);
    const steps = [
      () => new CartService(session(), deps).addLine({ cartId: cart.id, variantId: variant.id, quantity: 2 }, actor),
      () => new CartService(session(), deps).setShippingAddress({ cartId: cart.id, address: anAddress({ country: 'DE' }) }, actor),
      () => new CartService(session(), deps).setShippingMethod({ cartId: cart.id, shippingMethodId: method.id }, actor),
      () => new CartVoucherService(session(), deps).applyVoucher({ cartId: cart.id, code: voucher.code }, actor),
    ];
    for (const step of steps) expect((await step()).ok).toBe(true);
    const started = await new StartCheckoutService(session(), deps).start(cart.id, actor, '203.0.113.9');
    expect(started.ok).toBe(true);

    expect(sessions.map((opened) => opened.hasOwnManager)).toEqual(sessions.map(() => false));
    const held = await em().findOneOrFail(Cart, cart.id, { populate: ['lines'] });
    expect(held.lines.getItems().map((line) => line.quantity)).toEqual([2]);
    expect(held.voucherCodes).toEqual([voucher.code]);
  });

  it('when something asks a session for its manager, then it forks one and keeps it, and its statements still run on the shared manager', async () => {
    const session = h.app.tillgate.deps.db.session();
    expect(session.hasOwnManager).toBe(false);
    const own = session.em;
    expect(session.hasOwnManager).toBe(true);
    expect(session.em).toBe(own);
    expect(session.statements).not.toBe(own);
    expect(session.statements).toBe(h.app.tillgate.deps.db.session().statements);
    expect(session.another().hasOwnManager).toBe(false);
  });
});
