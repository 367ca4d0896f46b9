import { randomUUID } from 'node:crypto';
import { OutboxEvent, Product, Reservation, StockLevel, Variant, Warehouse } from '../../../src/entities';
import { DEFAULT_WAREHOUSE_ID } from '../../../src/services/catalog/default-warehouse';
import { buildProduct, buildSeller } from '../../factories/catalog.factory';
import { CREATE_PRODUCT, CREATE_SELLER, CREATE_SHIPPING, SET_PRICE, SET_STOCK, SHIPPING_METHODS, variantInput, useAdminSuite } from './catalog-operations';

describe('admin catalog mutations', () => {
  const suite = useAdminSuite();

  it('when an admin creates a seller and a product with two variants, then both come back with stock in the default warehouse', async () => {
    const seller = await suite.app.gql(CREATE_SELLER, { input: { name: ' Makers ', stripeAccountId: 'acct_1Abc' } }, { token: suite.admin });
    expect(seller.errors).toBeUndefined();
    expect(seller.data.createSeller.name).toBe('Makers');

    const created = await suite.app.gql(
      CREATE_PRODUCT,
      {
        input: {
          name: 'Beanie',
          sellerId: seller.data.createSeller.id,
          variants: [variantInput({ sku: 'BEANIE-GREY', price: 3_450, stock: 4 }), variantInput({ sku: 'BEANIE-NAVY', price: 3_650, stock: 0 })],
        },
      },
      { token: suite.admin },
    );

    expect(created.errors).toBeUndefined();
    const product = created.data.createProduct;
    expect(product).toMatchObject({ name: 'Beanie', seller: { id: seller.data.createSeller.id, name: 'Makers' } });
    expect(
      product.variants.map((v: { sku: string; price: { amount: number; currency: string }; available: number; product: { id: string } }) => [
        v.sku,
        v.price.amount,
        v.price.currency,
        v.available,
        v.product.id,
      ]),
    ).toEqual([
      ['BEANIE-GREY', 3_450, 'EUR', 4, product.id],
      ['BEANIE-NAVY', 3_650, 'EUR', 0, product.id],
    ]);
    const em = suite.app.orm.em.fork();
    const warehouses = await em.find(Warehouse, {});
    expect(warehouses.map((w) => [w.id, w.isDefault])).toEqual([[DEFAULT_WAREHOUSE_ID, true]]);
    expect(await em.count(StockLevel, { warehouse: DEFAULT_WAREHOUSE_ID })).toBe(2);
  });

  it('when several products are created at once on an empty catalog, then exactly one default warehouse holds all their stock', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        suite.app.gql(CREATE_PRODUCT, { input: { name: `Rush ${n}`, variants: [variantInput({ stock: n })] } }, { token: suite.admin }),
      ),
    );

    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const em = suite.app.orm.em.fork();
    expect((await em.find(Warehouse, {})).map((w) => w.id)).toEqual([DEFAULT_WAREHOUSE_ID]);
    expect((await em.find(StockLevel, {})).map((s) => s.onHand).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('when a sku is already taken or repeated in the input, then createProduct fails with VALIDATION_FAILED and writes nothing', async () => {
    await buildProduct(suite.app.orm.em.fork(), { variants: [{ sku: 'TAKEN-1', price: 100, currency: 'EUR', stock: 1 }] });

    const taken = await suite.app.gql(
      CREATE_PRODUCT,
      {
        input: { name: 'Clash', variants: [variantInput(), variantInput({ sku: 'TAKEN-1' })] },
      },
      { token: suite.admin },
    );
    const twins = await suite.app.gql(
      CREATE_PRODUCT,
      {
        input: { name: 'Twins', variants: [variantInput({ sku: 'SAME' }), variantInput({ sku: 'SAME' })] },
      },
      { token: suite.admin },
    );

    expect(taken.data).toBeNull();
    expect(taken.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED', field: 'variants.1.sku' });
    expect(twins.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED', field: 'variants.1.sku' });
    const em = suite.app.orm.em.fork();
    expect([await em.count(Product, {}), await em.count(Variant, {}), await em.count(StockLevel, {})]).toEqual([1, 1, 1]);
  });

  it('when the seller id is malformed or unknown, then createProduct fails with NOT_FOUND on sellerId', async () => {
    for (const sellerId of ['not-a-uuid', '7d0c3bb4-7f7e-4a4e-9a3e-1d2c3b4a5f60']) {
      const result = await suite.app.gql(CREATE_PRODUCT, { input: { name: 'Orphan', sellerId, variants: [variantInput()] } }, { token: suite.admin });
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'NOT_FOUND', field: 'sellerId' });
    }
    expect(await suite.app.orm.em.fork().count(Product, {})).toBe(0);
  });

  it('when an admin sets a variant price, then the variant answers the new price and an event is queued', async () => {
    const {
      variants: [variant],
    } = await buildProduct(suite.app.orm.em.fork(), { variants: [{ price: 1_000, currency: 'USD', stock: 3 }] });

    const result = await suite.app.gql(SET_PRICE, { input: { variantId: variant.id, price: 1_250 } }, { token: suite.admin });

    expect(result.data.setVariantPrice).toEqual({ id: variant.id, price: { amount: 1_250, currency: 'USD' }, available: 3 });
    const em = suite.app.orm.em.fork();
    expect((await em.findOneOrFail(Variant, { id: variant.id })).price).toBe(1_250);
    const events = await em.find(OutboxEvent, { type: 'variant.price_changed', aggregateId: variant.id });
    expect(events.map((e) => e.payload)).toEqual([{ previous: 1_000, current: 1_250, currency: 'USD' }]);
  });

  it('when stock is set without a warehouse, then the default warehouse row is replaced, not added to', async () => {
    const {
      variants: [variant],
    } = await buildProduct(suite.app.orm.em.fork(), { variants: [{ price: 1_000, currency: 'EUR', stock: 3 }] });

    const result = await suite.app.gql(SET_STOCK, { input: { variantId: variant.id, onHand: 11 } }, { token: suite.admin });

    expect(result.data.setStock).toEqual({ id: variant.id, available: 11 });
    const rows = await suite.app.orm.em.fork().find(StockLevel, { variant: variant.id });
    expect(rows.map((r) => r.onHand)).toEqual([11]);
  });

  it('when checkouts hold more units than the new stock figure, then setStock is refused and nothing changes', async () => {
    const em = suite.app.orm.em.fork();
    const {
      variants: [variant],
    } = await buildProduct(em, { variants: [{ price: 1_000, currency: 'EUR', stock: 10 }] });
    em.create(Reservation, { cartId: randomUUID(), variant, quantity: 6, expiresAt: new Date(Date.now() + 600_000) });
    await em.flush();

    const refused = await suite.app.gql(SET_STOCK, { input: { variantId: variant.id, onHand: 5 } }, { token: suite.admin });
    const allowed = await suite.app.gql(SET_STOCK, { input: { variantId: variant.id, onHand: 6 } }, { token: suite.admin });

    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED', field: 'onHand' });
    expect(allowed.data.setStock.available).toBe(0);
    expect((await suite.app.orm.em.fork().findOneOrFail(StockLevel, { variant: variant.id })).onHand).toBe(6);
  });

  it('when stock is set in a second warehouse, then availability sums both warehouses', async () => {
    const em = suite.app.orm.em.fork();
    const {
      variants: [variant],
    } = await buildProduct(em, { variants: [{ price: 1_000, currency: 'EUR', stock: 3 }] });
    const second = em.create(Warehouse, { name: 'Overflow' });
    await em.flush();

    const result = await suite.app.gql(SET_STOCK, { input: { variantId: variant.id, warehouseId: second.id, onHand: 4 } }, { token: suite.admin });

    expect(result.data.setStock.available).toBe(7);
  });

  it('when the variant or warehouse does not exist, then setStock answers NOT_FOUND naming the field', async () => {
    const {
      variants: [variant],
    } = await buildProduct(suite.app.orm.em.fork());
    const unknownVariant = await suite.app.gql(SET_STOCK, { input: { variantId: '11111111-1111-4111-8111-111111111111', onHand: 1 } }, { token: suite.admin });
    const unknownWarehouse = await suite.app.gql(
      SET_STOCK,
      {
        input: { variantId: variant.id, warehouseId: '11111111-1111-4111-8111-111111111111', onHand: 1 },
      },
      { token: suite.admin },
    );
    const malformedPrice = await suite.app.gql(SET_PRICE, { input: { variantId: 'nope', price: 1 } }, { token: suite.admin });

    expect(unknownVariant.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'NOT_FOUND', field: 'variantId' });
    expect(unknownWarehouse.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'NOT_FOUND', field: 'warehouseId' });
    expect(malformedPrice.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'NOT_FOUND', field: 'variantId' });
  });

  it('when shipping methods exist in two currencies, then shippingMethods lists only the asked currency, cheapest first', async () => {
    for (const input of [
      { name: 'Express', price: 1_295, currency: 'EUR' },
      { name: 'Standard', price: 495, currency: 'EUR' },
      { name: 'Standard', price: 599, currency: 'USD' },
    ]) {
      const created = await suite.app.gql(CREATE_SHIPPING, { input }, { token: suite.admin });
      expect(created.data.createShippingMethod).toMatchObject({ name: input.name, price: { amount: input.price, currency: input.currency } });
    }

    const eur = await suite.app.gql(SHIPPING_METHODS, { currency: 'eur' });

    expect(
      eur.data.shippingMethods.map((m: { name: string; price: { amount: number; currency: string } }) => [m.name, m.price.amount, m.price.currency]),
    ).toEqual([
      ['Standard', 495, 'EUR'],
      ['Express', 1_295, 'EUR'],
    ]);
    expect((await suite.app.gql(SHIPPING_METHODS, { currency: 'GBP' })).data.shippingMethods).toEqual([]);
  });

  it('when a product has a seller built by the factory, then its seller resolves through the API', async () => {
    const em = suite.app.orm.em.fork();
    const seller = await buildSeller(em, { name: 'North Wool' });
    const { product } = await buildProduct(em, { seller });

    const result = await suite.app.gql(`query($id: ID!) { product(id: $id) { seller { id name } } }`, { id: product.id });

    expect(result.data.product.seller).toEqual({ id: seller.id, name: 'North Wool' });
  });
});
