import { buildProduct } from '../../factories/catalog.factory';
import { cartApi } from '../../factories/cart.factory';
import { useCartTestApp } from './cart-test-app';

describe('cart access', () => {
  const h = useCartTestApp();

  const aVariant = async () => (await buildProduct(h.app.orm.em.fork())).variants[0];

  it("when customer B reads or changes customer A's cart, then it does not exist for B and stays untouched", async () => {
    const [alice, bob] = [await h.app.customer(), await h.app.customer()];
    const variant = await aVariant();
    const asAlice = cartApi(h.app, alice.token);
    const asBob = cartApi(h.app, bob.token);
    const cart = await asAlice.create();
    await asAlice.addLine(cart.id, variant.id, 1);

    expect(await asBob.get(cart.id)).toBeNull();
    expect(await asBob.addLine(cart.id, variant.id, 1)).toMatchObject({ __typename: 'UserError', errorCode: 'NOT_FOUND', field: 'cartId' });
    expect(
      await asBob.setShippingAddress(cart.id, {
        name: 'B',
        line1: 'x',
        city: 'y',
        postalCode: '1',
        country: 'DE',
      }),
    ).toMatchObject({ errorCode: 'NOT_FOUND' });

    const own = await asAlice.get(cart.id);
    expect(own).toMatchObject({ version: 2, shippingAddress: null });
    expect(own.lines[0].quantity).toBe(1);
  });

  it("when an anonymous caller uses a customer's cart id, then it does not exist for them either", async () => {
    const alice = await h.app.customer();
    const cart = await cartApi(h.app, alice.token).create();
    expect(await cartApi(h.app).get(cart.id)).toBeNull();
    expect(await cartApi(h.app).applyVoucher(cart.id, 'ANY')).toMatchObject({ errorCode: 'NOT_FOUND', field: 'cartId' });
  });

  it("when an admin reads or changes a customer's cart, then they may", async () => {
    const alice = await h.app.customer();
    const variant = await aVariant();
    const cart = await cartApi(h.app, alice.token).create();
    const asAdmin = cartApi(h.app, await h.app.adminToken());
    expect((await asAdmin.get(cart.id)).id).toBe(cart.id);
    expect((await asAdmin.addLine(cart.id, variant.id, 2)).lines[0].quantity).toBe(2);
  });

  it('when a guest cart id is known, then anyone holding it, signed in or not, can use it', async () => {
    const variant = await aVariant();
    const cart = await cartApi(h.app).create({ email: 'guest@example.com' });
    const someone = await h.app.customer();
    expect((await cartApi(h.app, someone.token).addLine(cart.id, variant.id, 1)).__typename).toBe('Cart');
    expect((await cartApi(h.app).get(cart.id)).lines).toHaveLength(1);
  });

  it('when a signed-in customer creates a cart, then it is theirs: its version key differs from the same guest cart', async () => {
    const alice = await h.app.customer();
    const owned = await cartApi(h.app, alice.token).create();
    const guest = await cartApi(h.app).create();
    expect((await cartApi(h.app, alice.token).get(owned.id)).id).toBe(owned.id);
    expect(owned.versionKey).not.toBe(guest.versionKey);
  });

  it('when createCart gets a malformed currency or email, then it is refused as invalid input and no cart is written', async () => {
    const refusals = [
      { currency: 'EURO' },
      { currency: 'E1' },
      { currency: 'EUR', email: 'not-an-email' },
      { currency: 'EUR', email: `${'x'.repeat(400)}@example.com` },
    ];
    for (const input of refusals) {
      const response = await h.app.gql(`mutation($input: CreateCartInput!) { createCart(input: $input) { id } }`, { input });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED' });
    }
    expect(await h.app.orm.em.fork().count('Cart', {})).toBe(0);
  });
});
