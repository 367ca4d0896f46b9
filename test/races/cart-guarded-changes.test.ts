import type { LineWrite, VersionClaim } from '../../src/db/stores/cart-store';
import { CartStatus } from '../../src/entities';
import { newId } from '../../src/entities/columns';
import { cartApi } from '../factories/cart.factory';
import { buildProduct } from '../factories/catalog.factory';
import { useCartTestApp } from '../integration/cart/cart-test-app';

/**
 * Cart changes on PostgreSQL run without a transaction: one read, then one
 * statement that claims the version it read and writes behind that claim
 * (cart-change.ts, CartStore.claimIfUnchanged). Here many real connections change
 * one cart at once, so claims collide for real.
 */
describe('guarded cart changes on PostgreSQL', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  /** An optimistic claim with its line writes, as cart changes send it, on a manager of its own. */
  const claimIfUnchanged = (claim: VersionClaim, lines: readonly LineWrite[]) =>
    h.app.tillgate.deps.stores.carts.claimIfUnchanged(h.app.tillgate.deps.db.unitOfWork(em()), claim, lines);

  it('when 20 buyers-worth of lines are added to one cart at once, then every line lands once and every answer has its own version', async () => {
    const { variants } = await buildProduct(em(), { variants: Array.from({ length: 20 }, () => ({ price: 300, currency: 'EUR', stock: 50 })) });
    const api = cartApi(h.app);
    const cart = await api.create();

    const answers = await Promise.all(variants.map((variant) => api.addLine(cart.id, variant.id, 2)));

    expect(answers.map((answer) => answer.__typename)).toEqual(answers.map(() => 'Cart'));
    expect(answers.map((answer) => answer.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const stored = await api.get(cart.id);
    expect(stored.version).toBe(21);
    expect(stored.lines.map((line: { variant: { id: string } }) => line.variant.id).sort()).toEqual(variants.map((variant) => variant.id).sort());
    expect(stored.lines.every((line: { quantity: number }) => line.quantity === 2)).toBe(true);
    // Positions are unique even though each change computed its own from what it read.
    const positions = await em().execute('select distinct position from cart_lines where cart_id = ?', [cart.id]);
    expect(positions).toHaveLength(20);
  });

  it('when a change claims a version the cart has moved past, then neither the claim nor its line writes apply', async () => {
    const {
      variants: [variant],
    } = await buildProduct(em(), { variants: [{ price: 300, currency: 'EUR', stock: 50 }] });
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.addLine(cart.id, variant.id, 1);
    const [line] = (await api.get(cart.id)).lines;

    const stale = { cartId: cart.id, version: 1, now: new Date(), fields: { voucherCodes: ['STALE'] } };
    const claimed = await claimIfUnchanged(stale, [
      { kind: 'update', line: { id: line.id, quantity: 7, unitPrice: 1 } },
      { kind: 'insert', cartId: cart.id, line: { ...line, id: newId(), variantId: variant.id, quantity: 3, unitPrice: 300, position: 9 } },
    ]);

    expect(claimed).toBe(false);
    expect(await api.get(cart.id)).toMatchObject({ version: 2, voucherCodes: [], lines: [{ id: line.id, quantity: 1 }] });
    const [row] = await em().execute('select count(*) as n from cart_lines where cart_id = ?', [cart.id]);
    expect(Number(row.n)).toBe(1);
  });

  it('when the cart is no longer open at the version read, then the guarded write claims nothing', async () => {
    const api = cartApi(h.app);
    const cart = await api.create();
    await em().execute('update carts set status = ? where id = ?', [CartStatus.CONVERTED, cart.id]);

    expect(await claimIfUnchanged({ cartId: cart.id, version: 1, now: new Date(), fields: { voucherCodes: [] } }, [])).toBe(false);
  });
});
