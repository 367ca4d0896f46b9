import { buildShippingMethod, buildTaxRate } from '../../factories/catalog.factory';
import { anAddress, cartApi } from '../../factories/cart.factory';
import { useCartTestApp } from './cart-test-app';

describe('cart shipping', () => {
  const h = useCartTestApp();

  const em = () => h.app.orm.em.fork();

  it('when a shipping method is chosen, then the cart shows it, prices shipping and bumps the version', async () => {
    const method = await buildShippingMethod(em(), { name: 'Courier', price: 490, currency: 'EUR' });
    const api = cartApi(h.app);
    const cart = await api.create();

    const result = await api.setShippingMethod(cart.id, method.id);

    expect(result).toMatchObject({
      __typename: 'Cart',
      version: 2,
      shippingMethod: { id: method.id, name: 'Courier', price: { amount: 490, currency: 'EUR' } },
      totals: { shipping: { amount: 490 }, total: { amount: 490 } },
    });
    expect(result.versionKey).not.toBe(cart.versionKey);
  });

  it('when the shipping method is unknown, malformed or in another currency, then NOT_FOUND or CURRENCY_MISMATCH and nothing changes', async () => {
    const dollars = await buildShippingMethod(em(), { currency: 'USD' });
    const api = cartApi(h.app);
    const cart = await api.create({ currency: 'EUR' });
    expect(await api.setShippingMethod(cart.id, '0f0e0d0c-0b0a-4909-8807-060504030201')).toMatchObject({ errorCode: 'NOT_FOUND', field: 'shippingMethodId' });
    expect(await api.setShippingMethod(cart.id, 'nope')).toMatchObject({ errorCode: 'NOT_FOUND', field: 'shippingMethodId' });
    expect(await api.setShippingMethod(cart.id, dollars.id)).toMatchObject({ errorCode: 'CURRENCY_MISMATCH', field: 'shippingMethodId' });
    expect(await api.get(cart.id)).toMatchObject({ version: 1, shippingMethod: null });
  });

  it('when an address is set, then it is stored trimmed with an upper-cased country, and its tax rate applies', async () => {
    const method = await buildShippingMethod(em(), { price: 1_000, currency: 'EUR' });
    await buildTaxRate(em(), 'DE', 1_900);
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.setShippingMethod(cart.id, method.id);

    const result = await api.setShippingAddress(cart.id, anAddress({ name: '  Ada Lovelace ', country: ' de ' }));

    expect(result.version).toBe(3);
    expect(result.shippingAddress).toEqual({ name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'Berlin', postalCode: '10115', country: 'DE' });
    expect(result.totals).toMatchObject({ shipping: { amount: 1_000 }, tax: { amount: 190 }, total: { amount: 1_190 } });
  });

  it('when the country has no tax rate, then tax is 0', async () => {
    const method = await buildShippingMethod(em(), { price: 1_000, currency: 'EUR' });
    const api = cartApi(h.app);
    const cart = await api.create();
    await api.setShippingMethod(cart.id, method.id);
    expect((await api.setShippingAddress(cart.id, anAddress({ country: 'NO' }))).totals.tax.amount).toBe(0);
  });

  it('when the country is not an assigned ISO 3166-1 alpha-2 code or a required field is blank, then VALIDATION_FAILED names it', async () => {
    const api = cartApi(h.app);
    const cart = await api.create();
    expect(await api.setShippingAddress(cart.id, anAddress({ country: 'XX' }))).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'address.country' });
    expect(await api.setShippingAddress(cart.id, anAddress({ country: 'D' }))).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'address.country' });
    expect(await api.setShippingAddress(cart.id, anAddress({ city: '   ' }))).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'address.city' });
    expect(await api.get(cart.id)).toMatchObject({ version: 1, shippingAddress: null });
  });

  it('when an address field is far too long, then the input is refused cleanly and nothing is written', async () => {
    const api = cartApi(h.app);
    const cart = await api.create();
    const response = await api.send('setShippingAddress', { cartId: cart.id, address: anAddress({ line1: 'x'.repeat(10_000) }) });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED' });
    expect(JSON.stringify(response.errors)).toContain('line1');
    expect(await api.get(cart.id)).toMatchObject({ version: 1, shippingAddress: null });
  });
});
