import {
  AddCartLineDocument,
  ApplyVoucherDocument,
  CartDocument,
  CreateCartDocument,
  CreateProductDocument,
  CreateSellerDocument,
  CreateShippingMethodDocument,
  CreateVoucherDocument,
  LogInDocument,
  MeDocument,
  ProductDocument,
  ProductsDocument,
  RemoveVoucherDocument,
  SetShippingAddressDocument,
  SetShippingMethodDocument,
  SetStockDocument,
  SetVariantPriceDocument,
  ShippingMethodsDocument,
  SignUpDocument,
  UpdateCartLineDocument,
  VariantDocument,
  VoucherDocument,
} from '../generated/graphql';
import { buildTaxRate } from '../factories/catalog.factory';
import { startTestApp, type TestApp } from '../support/test-app';
import { typedClient, type TypedClient } from '../support/typed-client';

/** The Cart member of a CartResult; anything else fails the journey with what came back. */
function cartOf<T extends { __typename: string }>(result: T): Extract<T, { __typename: 'Cart' }> {
  if (result.__typename !== 'Cart') throw new Error(`expected a Cart, got ${JSON.stringify(result)}`);
  return result as Extract<T, { __typename: 'Cart' }>;
}

const eur = (amount: number) => ({ amount, currency: 'EUR' });

/**
 * A frontend's journey through the generated, typed documents of test/operations
 * over real HTTP: an admin sets up the catalog, a guest shops. Every amount is
 * worked out by hand from the pricing rules (DESIGN.md invariants 1 and 2).
 */
describe('storefront journey', () => {
  let app: TestApp;
  let admin: TypedClient;
  let guest: TypedClient;

  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(async () => {
    await app.reset();
    admin = typedClient(app, { token: await app.adminToken() });
    guest = typedClient(app);
  });
  afterAll(() => app.close());

  async function setUpCatalog() {
    const { createSeller: seller } = await admin.data(CreateSellerDocument, { input: { name: 'Nordic Ceramics', stripeAccountId: 'acct_1NordicCeramics' } });
    const { createProduct: product } = await admin.data(CreateProductDocument, {
      input: {
        name: 'Stoneware mug',
        sellerId: seller.id,
        variants: [
          { sku: 'MUG-SAND', name: 'Sand', price: 2_700, currency: 'EUR', stock: 10 },
          { sku: 'MUG-SLATE', name: 'Slate', price: 1_299, currency: 'EUR', stock: 2 },
        ],
      },
    });
    const [sand, slate] = product.variants;
    // The price drops before anyone shops; stock of Slate is counted again.
    await admin.data(SetVariantPriceDocument, { input: { variantId: sand.id, price: 2_500 } });
    const { setStock } = await admin.data(SetStockDocument, { input: { variantId: slate.id, onHand: 5 } });
    expect(setStock).toMatchObject({ sku: 'MUG-SLATE', available: 5, price: eur(1_299) });

    const { createShippingMethod: standard } = await admin.data(CreateShippingMethodDocument, { input: { name: 'Standard', price: 495, currency: 'EUR' } });
    const { createVoucher } = await admin.data(CreateVoucherDocument, { input: { code: 'welcome10', kind: 'PERCENT_OFF', value: 1_000, maxRedemptions: 100 } });
    expect(createVoucher).toMatchObject({ code: 'WELCOME10', kind: 'PERCENT_OFF', value: 1_000, timesRedeemed: 0 });
    // Tax rates have no mutation in the contract; they are reference data.
    await buildTaxRate(app.orm.em.fork(), 'DE', 1_900);
    return { seller, product, sand, slate, standard };
  }

  it('when a guest browses, fills a cart, ships to Germany and applies a 10% voucher, then every total is exact to the cent', async () => {
    const { seller, product, sand, slate, standard } = await setUpCatalog();

    // Browsing.
    const { products } = await guest.data(ProductsDocument, { first: 10 });
    expect(products.nodes.map((node) => node.id)).toEqual([product.id]);
    expect(products.pageInfo.hasNextPage).toBe(false);
    const { product: page } = await guest.data(ProductDocument, { id: product.id });
    expect(page).toEqual({
      id: product.id,
      name: 'Stoneware mug',
      seller: { id: seller.id, name: 'Nordic Ceramics' },
      variants: [
        { id: sand.id, sku: 'MUG-SAND', name: 'Sand', price: eur(2_500), available: 10 },
        { id: slate.id, sku: 'MUG-SLATE', name: 'Slate', price: eur(1_299), available: 5 },
      ],
    });
    expect((await guest.data(VariantDocument, { id: slate.id })).variant).toMatchObject({ product: { id: product.id, name: 'Stoneware mug' } });
    expect((await guest.data(ShippingMethodsDocument, { currency: 'EUR' })).shippingMethods).toEqual([{ id: standard.id, name: 'Standard', price: eur(495) }]);

    // The cart: 2 x Sand (added one at a time, merged) and Slate, first 3 then 1.
    const { createCart: created } = await guest.data(CreateCartDocument, { input: { currency: 'EUR', email: 'guest@example.com' } });
    expect(created).toMatchObject({ status: 'OPEN', lines: [], totals: { total: eur(0) } });
    const cartId = created.id;
    const versions = [created.version];
    const track = <T extends { version: number }>(changed: T): T => {
      versions.push(changed.version);
      return changed;
    };

    track(cartOf((await guest.data(AddCartLineDocument, { input: { cartId, variantId: sand.id, quantity: 1 } })).addCartLine));
    track(cartOf((await guest.data(AddCartLineDocument, { input: { cartId, variantId: sand.id, quantity: 1 } })).addCartLine));
    const withSlate = track(cartOf((await guest.data(AddCartLineDocument, { input: { cartId, variantId: slate.id, quantity: 3 } })).addCartLine));
    expect(withSlate.lines.map((line) => [line.variant.sku, line.quantity])).toEqual([['MUG-SAND', 2], ['MUG-SLATE', 3]]);
    const slateLine = withSlate.lines[1];
    track(cartOf((await guest.data(UpdateCartLineDocument, { input: { cartId, lineId: slateLine.id, quantity: 1 } })).updateCartLine));
    const address = { name: 'Erika Mustermann', line1: 'Heidestrasse 17', city: 'Köln', postalCode: '51147', country: 'de' };
    track(cartOf((await guest.data(SetShippingAddressDocument, { input: { cartId, address } })).setShippingAddress));
    track(cartOf((await guest.data(SetShippingMethodDocument, { input: { cartId, shippingMethodId: standard.id } })).setShippingMethod));
    track(cartOf((await guest.data(ApplyVoucherDocument, { input: { cartId, code: 'welcome10' } })).applyVoucher));
    // Every change moved the version forward.
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);

    const { cart } = await guest.data(CartDocument, { id: cartId });
    expect(cart).toMatchObject({
      status: 'OPEN',
      email: 'guest@example.com',
      voucherCodes: ['WELCOME10'],
      shippingMethod: { id: standard.id, name: 'Standard', price: eur(495) },
      shippingAddress: { name: 'Erika Mustermann', line1: 'Heidestrasse 17', city: 'Köln', postalCode: '51147', country: 'DE' },
    });
    // subtotal 2 x 2500 + 1299 = 6299; 10% = 629.9 -> 630, split 5000:1299 by largest remainder -> 500 + 130.
    expect(cart!.lines.map((line) => ({ sku: line.variant.sku, quantity: line.quantity, unit: line.unitPrice.amount, discount: line.discount.amount, total: line.total.amount })))
      .toEqual([
        { sku: 'MUG-SAND', quantity: 2, unit: 2_500, discount: 500, total: 4_500 },
        { sku: 'MUG-SLATE', quantity: 1, unit: 1_299, discount: 130, total: 1_169 },
      ]);
    // tax 19% per line on net: 855 + 222.11 -> 222; on shipping 94.05 -> 94; total 6299 - 630 + 495 + 1171.
    expect(cart!.totals).toEqual({
      subtotal: eur(6_299), discount: eur(630), shipping: eur(495), shippingDiscount: eur(0), tax: eur(1_171), total: eur(7_335),
    });

    // Taking the voucher off restores the undiscounted totals: tax 950 + 246.81 -> 247 + 94.
    const removed = cartOf((await guest.data(RemoveVoucherDocument, { input: { cartId, code: 'WELCOME10' } })).removeVoucher);
    expect(removed.voucherCodes).toEqual([]);
    expect(removed.totals).toEqual({
      subtotal: eur(6_299), discount: eur(0), shipping: eur(495), shippingDiscount: eur(0), tax: eur(1_291), total: eur(8_085),
    });
    expect(removed.version).toBeGreaterThan(versions[versions.length - 1]);

    // Applying a voucher is advisory: the admin still sees no redemption.
    expect((await admin.data(VoucherDocument, { code: 'WELCOME10' })).voucher).toMatchObject({ timesRedeemed: 0 });
  });

  it('when a guest asks for more than is in stock, then the cart answers InsufficientStockError with the shortfall', async () => {
    const { slate } = await setUpCatalog();
    const { createCart } = await guest.data(CreateCartDocument, { input: { currency: 'EUR' } });
    const { addCartLine } = await guest.data(AddCartLineDocument, { input: { cartId: createCart.id, variantId: slate.id, quantity: 6 } });
    expect(addCartLine).toMatchObject({ __typename: 'InsufficientStockError', errorCode: 'INSUFFICIENT_STOCK', shortfalls: [{ variantId: slate.id, requested: 6, available: 5 }] });
  });

  it('when a shopper signs up and logs in, then me is that customer, and signing up twice answers EMAIL_TAKEN', async () => {
    const input = { email: 'shopper@example.com', password: 'a-long-enough-password' };
    const { signUp } = await guest.data(SignUpDocument, { input });
    expect(signUp).toMatchObject({ __typename: 'AuthPayload', customer: { email: 'shopper@example.com', role: 'CUSTOMER' } });
    expect((await guest.data(SignUpDocument, { input })).signUp).toMatchObject({ __typename: 'UserError', errorCode: 'EMAIL_TAKEN' });

    const { logIn } = await guest.data(LogInDocument, { input });
    if (logIn.__typename !== 'AuthPayload') throw new Error(`log in failed: ${JSON.stringify(logIn)}`);
    const { me } = await typedClient(app, { token: logIn.token }).data(MeDocument, {});
    expect(me).toEqual(logIn.customer);
  });
});
