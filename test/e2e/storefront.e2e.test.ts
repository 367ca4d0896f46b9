import {
  AddCartLineDocument,
  ApplyVoucherDocument,
  CartDocument,
  createTillgateClient,
  AttachCartDocument,
  ConfirmCheckoutDocument,
  CreateCartDocument,
  LogInDocument,
  MyOrdersDocument,
  OrderByTokenDocument,
  MeDocument,
  ProductDocument,
  ProductsDocument,
  RemoveVoucherDocument,
  SetShippingAddressDocument,
  SetShippingMethodDocument,
  ShippingMethodsDocument,
  SignUpDocument,
  StartCheckoutDocument,
  UpdateCartLineDocument,
  VariantDocument,
  type TillgateClient,
} from '../../client/src';
import {
  CreateProductDocument,
  CreateSellerDocument,
  CreateShippingMethodDocument,
  CreateVoucherDocument,
  SetStockDocument,
  SetVariantPriceDocument,
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
 * A frontend's journey through the client package (its typed documents and
 * createTillgateClient) over real HTTP: an admin sets up the catalog with the
 * tests' admin documents, a guest shops. Every amount is
 * worked out by hand from the pricing rules (invariants 1 and 2, docs/design.md).
 */
describe('storefront journey', () => {
  let app: TestApp;
  let admin: TypedClient;
  let guest: TillgateClient;

  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(async () => {
    await app.reset();
    admin = typedClient(app, { token: await app.adminToken() });
    guest = createTillgateClient({ url: `${app.url}/graphql` });
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
    const { products } = await guest.request(ProductsDocument, { first: 10 });
    expect(products.nodes.map((node) => node.id)).toEqual([product.id]);
    expect(products.pageInfo.hasNextPage).toBe(false);
    const { product: page } = await guest.request(ProductDocument, { id: product.id });
    expect(page).toEqual({
      id: product.id,
      name: 'Stoneware mug',
      seller: { id: seller.id, name: 'Nordic Ceramics' },
      variants: [
        { id: sand.id, sku: 'MUG-SAND', name: 'Sand', price: eur(2_500), available: 10 },
        { id: slate.id, sku: 'MUG-SLATE', name: 'Slate', price: eur(1_299), available: 5 },
      ],
    });
    expect((await guest.request(VariantDocument, { id: slate.id })).variant).toMatchObject({ product: { id: product.id, name: 'Stoneware mug' } });
    expect((await guest.request(ShippingMethodsDocument, { currency: 'EUR' })).shippingMethods).toEqual([
      { id: standard.id, name: 'Standard', price: eur(495) },
    ]);

    // The cart: 2 x Sand (added one at a time, merged) and Slate, first 3 then 1.
    const { createCart: created } = await guest.request(CreateCartDocument, { input: { currency: 'EUR', email: 'guest@example.com' } });
    expect(created).toMatchObject({ status: 'OPEN', lines: [], totals: { total: eur(0) } });
    const cartId = created.id;
    const versions = [created.version];
    const track = <T extends { version: number }>(changed: T): T => {
      versions.push(changed.version);
      return changed;
    };

    track(cartOf((await guest.request(AddCartLineDocument, { input: { cartId, variantId: sand.id, quantity: 1 } })).addCartLine));
    track(cartOf((await guest.request(AddCartLineDocument, { input: { cartId, variantId: sand.id, quantity: 1 } })).addCartLine));
    const withSlate = track(cartOf((await guest.request(AddCartLineDocument, { input: { cartId, variantId: slate.id, quantity: 3 } })).addCartLine));
    expect(withSlate.lines.map((line) => [line.variant.sku, line.quantity])).toEqual([
      ['MUG-SAND', 2],
      ['MUG-SLATE', 3],
    ]);
    const slateLine = withSlate.lines[1];
    track(cartOf((await guest.request(UpdateCartLineDocument, { input: { cartId, lineId: slateLine.id, quantity: 1 } })).updateCartLine));
    const address = { name: 'Erika Mustermann', line1: 'Heidestrasse 17', city: 'Köln', postalCode: '51147', country: 'de' };
    track(cartOf((await guest.request(SetShippingAddressDocument, { input: { cartId, address } })).setShippingAddress));
    track(cartOf((await guest.request(SetShippingMethodDocument, { input: { cartId, shippingMethodId: standard.id } })).setShippingMethod));
    track(cartOf((await guest.request(ApplyVoucherDocument, { input: { cartId, code: 'welcome10' } })).applyVoucher));
    // Every change moved the version forward.
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);

    const { cart } = await guest.request(CartDocument, { id: cartId });
    expect(cart).toMatchObject({
      status: 'OPEN',
      email: 'guest@example.com',
      voucherCodes: ['WELCOME10'],
      shippingMethod: { id: standard.id, name: 'Standard', price: eur(495) },
      shippingAddress: { name: 'Erika Mustermann', line1: 'Heidestrasse 17', city: 'Köln', postalCode: '51147', country: 'DE' },
    });
    // subtotal 2 x 2500 + 1299 = 6299; 10% = 629.9 -> 630, split 5000:1299 by largest remainder -> 500 + 130.
    expect(
      cart!.lines.map((line) => ({
        sku: line.variant.sku,
        quantity: line.quantity,
        unit: line.unitPrice.amount,
        discount: line.discount.amount,
        total: line.total.amount,
      })),
    ).toEqual([
      { sku: 'MUG-SAND', quantity: 2, unit: 2_500, discount: 500, total: 4_500 },
      { sku: 'MUG-SLATE', quantity: 1, unit: 1_299, discount: 130, total: 1_169 },
    ]);
    // tax 19% per line on net: 855 + 222.11 -> 222; on shipping 94.05 -> 94; total 6299 - 630 + 495 + 1171.
    expect(cart!.totals).toEqual({
      subtotal: eur(6_299),
      discount: eur(630),
      shipping: eur(495),
      shippingDiscount: eur(0),
      tax: eur(1_171),
      total: eur(7_335),
    });

    // Taking the voucher off restores the undiscounted totals: tax 950 + 246.81 -> 247 + 94.
    const removed = cartOf((await guest.request(RemoveVoucherDocument, { input: { cartId, code: 'WELCOME10' } })).removeVoucher);
    expect(removed.voucherCodes).toEqual([]);
    expect(removed.totals).toEqual({
      subtotal: eur(6_299),
      discount: eur(0),
      shipping: eur(495),
      shippingDiscount: eur(0),
      tax: eur(1_291),
      total: eur(8_085),
    });
    expect(removed.version).toBeGreaterThan(versions[versions.length - 1]);

    // Applying a voucher is advisory: the admin still sees no redemption.
    expect((await admin.data(VoucherDocument, { code: 'WELCOME10' })).voucher).toMatchObject({ timesRedeemed: 0 });
  });

  it('when a guest asks for more than is in stock, then the cart answers InsufficientStockError with the shortfall', async () => {
    const { slate } = await setUpCatalog();
    const { createCart } = await guest.request(CreateCartDocument, { input: { currency: 'EUR' } });
    const { addCartLine } = await guest.request(AddCartLineDocument, { input: { cartId: createCart.id, variantId: slate.id, quantity: 6 } });
    expect(addCartLine).toMatchObject({
      __typename: 'InsufficientStockError',
      errorCode: 'INSUFFICIENT_STOCK',
      shortfalls: [{ variantId: slate.id, requested: 6, available: 5 }],
    });
  });

  it('when a shopper signs up and logs in, then me is that customer, and signing up twice answers EMAIL_TAKEN', async () => {
    const input = { email: 'shopper@example.com', password: 'a-long-enough-password' };
    const { signUp } = await guest.request(SignUpDocument, { input });
    expect(signUp).toMatchObject({ __typename: 'AuthPayload', customer: { email: 'shopper@example.com', role: 'CUSTOMER' } });
    expect((await guest.request(SignUpDocument, { input })).signUp).toMatchObject({ __typename: 'UserError', errorCode: 'EMAIL_TAKEN' });

    const { logIn } = await guest.request(LogInDocument, { input });
    if (logIn.__typename !== 'AuthPayload') throw new Error(`log in failed: ${JSON.stringify(logIn)}`);
    const { me } = await guest.withToken(logIn.token).request(MeDocument);
    expect(me).toEqual(logIn.customer);
  });

  /** A cart with one Sand mug, shipped to Germany by the standard method, checked out cash on delivery. */
  async function checkOut(client: TillgateClient, cartId: string, catalog: Awaited<ReturnType<typeof setUpCatalog>>) {
    cartOf((await client.request(AddCartLineDocument, { input: { cartId, variantId: catalog.sand.id, quantity: 1 } })).addCartLine);
    const address = { name: 'Erika Mustermann', line1: 'Heidestrasse 17', city: 'Köln', postalCode: '51147', country: 'DE' };
    cartOf((await client.request(SetShippingAddressDocument, { input: { cartId, address } })).setShippingAddress);
    cartOf((await client.request(SetShippingMethodDocument, { input: { cartId, shippingMethodId: catalog.standard.id } })).setShippingMethod);
    const { startCheckout } = await client.request(StartCheckoutDocument, { input: { cartId } });
    if (startCheckout.__typename !== 'CheckoutPreview') throw new Error(`startCheckout answered ${JSON.stringify(startCheckout)}`);
    const { confirmCheckout } = await client.request(ConfirmCheckoutDocument, {
      input: { cartId, versionKey: startCheckout.versionKey, paymentMethod: 'CASH_ON_DELIVERY' },
    });
    if (confirmCheckout.__typename !== 'CheckoutConfirmation') throw new Error(`confirmCheckout answered ${JSON.stringify(confirmCheckout)}`);
    return confirmCheckout;
  }

  it('when a guest checks out cash on delivery with persisted documents only, then its order token reads the order back and another token reads null', async () => {
    const catalog = await setUpCatalog();
    // Only hashes travel: the server knows every document of the client package by its manifest.
    const shopper = createTillgateClient({ url: `${app.url}/graphql`, persisted: true });
    const { createCart } = await shopper.request(CreateCartDocument, { input: { currency: 'EUR', email: 'guest@example.com' } });
    const confirmation = await checkOut(shopper, createCart.id, catalog);
    // 2500 + 495 shipping, 19% tax on both: 475 + 94.05 -> 94.
    expect(confirmation.order).toMatchObject({
      status: 'PLACED',
      email: 'guest@example.com',
      lines: [{ sku: 'MUG-SAND', quantity: 1, unitPrice: eur(2_500), total: eur(2_500) }],
      totals: { subtotal: eur(2_500), shipping: eur(495), tax: eur(569), total: eur(3_564), amountDue: eur(3_564) },
    });
    expect(confirmation.payment).toMatchObject({ kind: 'CASH_ON_DELIVERY', amount: eur(3_564) });

    const { orderByToken } = await shopper.request(OrderByTokenDocument, { token: confirmation.orderToken });
    expect(orderByToken).toEqual(confirmation.order);
    const tampered = confirmation.orderToken.slice(0, -2) + (confirmation.orderToken.endsWith('AA') ? 'BB' : 'AA');
    expect((await shopper.request(OrderByTokenDocument, { token: tampered })).orderByToken).toBeNull();
  });

  it('when a guest signs up, takes its cart along and checks out, then the order is in its order history', async () => {
    const catalog = await setUpCatalog();
    const { createCart } = await guest.request(CreateCartDocument, { input: { currency: 'EUR' } });
    cartOf((await guest.request(AddCartLineDocument, { input: { cartId: createCart.id, variantId: catalog.slate.id, quantity: 1 } })).addCartLine);

    const { signUp } = await guest.request(SignUpDocument, { input: { email: 'returning@example.com', password: 'a-long-enough-password' } });
    if (signUp.__typename !== 'AuthPayload') throw new Error(`sign up failed: ${JSON.stringify(signUp)}`);
    const customer = guest.withToken(signUp.token);
    const attached = cartOf((await customer.request(AttachCartDocument, { input: { cartId: createCart.id } })).attachCart);
    expect(attached.lines.map((line) => [line.variant.sku, line.quantity])).toEqual([['MUG-SLATE', 1]]);

    const confirmation = await checkOut(customer, attached.id, catalog);
    const { me } = await customer.request(MyOrdersDocument);
    expect(me?.orders.nodes).toEqual([confirmation.order]);
    expect(me?.orders.nodes[0].lines.map((line) => [line.sku, line.quantity])).toEqual([
      ['MUG-SLATE', 1],
      ['MUG-SAND', 1],
    ]);
  });
});
