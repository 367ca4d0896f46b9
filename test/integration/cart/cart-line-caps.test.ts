import { Reservation, ReservationStatus } from '../../../src/entities';
import { cartApi } from '../../factories/cart.factory';
import { buildProduct, buildShippingMethod } from '../../factories/catalog.factory';
import { availableUnits, START_CHECKOUT } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { useCartTestApp } from './cart-test-app';

/**
 * Issue 9, "an anonymous client can hold all the stock": one guest cart
 * reserved all 120 units of a variant. MAX_RESERVED_UNITS_PER_LINE (default 20)
 * caps what one cart may hold of a variant, refused where the quantity enters.
 */
describe('cart line caps (MAX_RESERVED_UNITS_PER_LINE)', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const cap = () => h.app.config.maxReservedUnitsPerLine;
  const variantWith = async (stock: number) => (await buildProduct(em(), { variants: [{ price: 1_990, currency: 'EUR', stock }] })).variants[0];
  const capRefusal = () => ({
    __typename: 'UserError',
    errorCode: 'VALIDATION_FAILED',
    field: 'quantity',
    message: `A cart can hold at most ${cap()} units of one item; lower the quantity.`,
  });

  it('when the default applies, then the cap is 20 units', () => {
    expect(cap()).toBe(20);
  });

  it('when addCartLine asks for more than the cap, then VALIDATION_FAILED and nothing is written', async () => {
    const variant = await variantWith(120);
    const api = cartApi(h.app);
    const cart = await api.create();

    expect(await api.addLine(cart.id, variant.id, cap() + 1)).toMatchObject(capRefusal());

    expect(await api.get(cart.id)).toMatchObject({ version: 1, lines: [] });
    expect((await api.addLine(cart.id, variant.id, cap())).lines[0].quantity).toBe(cap());
  });

  it('when adding merges a line past the cap, then VALIDATION_FAILED and the line keeps its quantity', async () => {
    const variant = await variantWith(120);
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.addLine(cart.id, variant.id, cap() - 2);

    expect(await api.addLine(cart.id, variant.id, 3)).toMatchObject(capRefusal());

    expect(await api.get(cart.id)).toMatchObject({ version: 2, lines: [{ quantity: cap() - 2 }] });
  });

  it('when updateCartLine raises a line past the cap, then VALIDATION_FAILED and the line is unchanged', async () => {
    const variant = await variantWith(120);
    const api = cartApi(h.app);
    const cart = await api.create();
    const line = (await api.addLine(cart.id, variant.id, 2)).lines[0];

    expect(await api.updateLine(cart.id, line.id, cap() + 1)).toMatchObject(capRefusal());

    expect(await api.get(cart.id)).toMatchObject({ version: 2, lines: [{ quantity: 2 }] });
    expect((await api.updateLine(cart.id, line.id, cap())).lines[0].quantity).toBe(cap());
  });

  it('when one guest cart tries to hoard all 120 units of a variant, then it reserves at most the cap and the rest stays on sale', async () => {
    const variant = await variantWith(120);
    const method = await buildShippingMethod(em(), { price: 495, currency: 'EUR' });
    const api = cartApi(h.app);
    const cart = await api.create({ email: 'hoarder@example.com' });
    await api.setShippingMethod(cart.id, method.id);

    for (const quantity of [120, 100, 21]) expect(await api.addLine(cart.id, variant.id, quantity)).toMatchObject(capRefusal());
    await api.addLine(cart.id, variant.id, cap());
    const preview = (await h.app.gql(START_CHECKOUT, { input: { cartId: cart.id } })).data.startCheckout;

    expect(preview.__typename).toBe('CheckoutPreview');
    const held = await em().find(Reservation, { cartId: cart.id, status: ReservationStatus.ACTIVE });
    expect(held.map((r) => r.quantity)).toEqual([cap()]);
    expect(await availableUnits(h.app.orm, variant.id)).toBe(120 - cap());
    await assertCheckoutInvariants(h.app.orm, { allowPreviewReservations: true });
  });
});
