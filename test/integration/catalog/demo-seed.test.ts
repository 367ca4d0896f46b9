import { Product, Seller, ShippingMethod, StockLevel, TaxRate, Variant, Voucher, VoucherKind } from '../../../src/entities';
import { DEMO_CREDIT_CAP, seedDemoData } from '../../../src/services/catalog/demo-seed';
import { assertCheckoutInvariants } from '../../support/invariants';
import { buildProduct, buildTaxRate } from '../../factories/catalog.factory';
import { startTestApp, type TestApp } from '../../support/test-app';
import { PRODUCTS, SHIPPING_METHODS } from './catalog-operations';

describe('demo data', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ DEMO_DATA: 'on' });
  });
  afterAll(() => app.close());

  it('when the gateway starts with DEMO_DATA on an empty database, then a buyable catalog, shipping, taxes and vouchers exist', async () => {
    const listing = await app.gql(PRODUCTS, { first: 50 });
    const products = listing.data.products.nodes;
    expect(products.length).toBeGreaterThanOrEqual(6);
    expect(new Set(products.flatMap((p: { variants: { price: { currency: string } }[] }) => p.variants.map((v) => v.price.currency)))).toEqual(
      new Set(['EUR', 'USD']),
    );
    for (const product of products) {
      expect(product.variants.length).toBeGreaterThanOrEqual(1);
      expect(product.variants.length).toBeLessThanOrEqual(3);
      expect(product.variants.some((v: { available: number }) => v.available > 0)).toBe(true);
    }
    expect(products.some((p: { seller: unknown }) => p.seller !== null)).toBe(true);

    const em = app.orm.em.fork();
    expect((await em.findOneOrFail(Seller, { stripeAccountId: 'acct_demo_seller' })).name).toBeTruthy();
    for (const currency of ['EUR', 'USD']) {
      const methods = (await app.gql(SHIPPING_METHODS, { currency })).data.shippingMethods.map((m: { name: string }) => m.name);
      expect(methods).toEqual(['Standard', 'Express']);
    }
    const rates = Object.fromEntries((await em.find(TaxRate, {})).map((r) => [r.country, r.rateBps]));
    expect(rates).toMatchObject({ DE: 1_900, FR: 2_000, NL: 2_100, US: 0, GB: 2_000 });

    const vouchers = Object.fromEntries((await em.find(Voucher, {})).map((v) => [v.code, v]));
    expect(vouchers.WELCOME10).toMatchObject({ kind: VoucherKind.PERCENT_OFF, value: 1_000 });
    expect(vouchers.TENOFF).toMatchObject({ kind: VoucherKind.AMOUNT_OFF, value: 1_000, currency: 'EUR', maxRedemptions: 100 });
    expect(vouchers.FREESHIP).toMatchObject({ kind: VoucherKind.FREE_SHIPPING });
    expect(vouchers.ONEUSE).toMatchObject({ kind: VoucherKind.AMOUNT_OFF, value: 500, currency: 'EUR', maxRedemptions: 1 });
    expect(vouchers.CREDIT25).toMatchObject({ kind: VoucherKind.CREDIT, value: 2_500, currency: 'EUR', perCustomerLimit: 1, maxRedemptions: DEMO_CREDIT_CAP });
    // Every demo voucher that gives money away carries a total cap.
    expect(
      Object.values(vouchers)
        .filter((v) => v.kind === VoucherKind.CREDIT)
        .every((v) => v.maxRedemptions !== null),
    ).toBe(true);
  });

  it('when three throwaway accounts sign up and redeem the demo credit, then no more than its cap get any', async () => {
    await app.reset();
    expect(await seedDemoData(app.orm.em.fork())).toBe(true);
    const redeem = `mutation($input: RedeemVoucherInput!) { redeemVoucher(input: $input) {
      __typename ... on VoucherRedemption { creditGranted { amount } } ... on UserError { errorCode } } }`;
    const balance = `query { me { creditBalance(currency: "EUR") { amount } } }`;

    const answers = [];
    const granted = [];
    for (let i = 0; i < 3; i++) {
      const account = await app.customer();
      answers.push((await app.gql(redeem, { input: { code: 'CREDIT25' } }, { token: account.token })).data.redeemVoucher);
      granted.push((await app.gql(balance, {}, { token: account.token })).data.me.creditBalance.amount);
    }

    expect(DEMO_CREDIT_CAP).toBeLessThan(3);
    expect(answers.filter((a) => a.__typename === 'VoucherRedemption')).toHaveLength(DEMO_CREDIT_CAP);
    expect(answers.slice(DEMO_CREDIT_CAP)).toEqual(Array(3 - DEMO_CREDIT_CAP).fill({ __typename: 'UserError', errorCode: 'VOUCHER_EXHAUSTED' }));
    expect(granted.reduce((sum, amount) => sum + amount, 0)).toBe(DEMO_CREDIT_CAP * 2_500);
    await assertCheckoutInvariants(app.orm);
  });

  it('when the catalog is not empty, then seeding again writes nothing and answers false', async () => {
    const em = app.orm.em.fork();
    const counts = async () => Promise.all([Product, Variant, StockLevel, ShippingMethod, Voucher].map((e) => em.count(e, {})));
    const before = await counts();

    expect(await seedDemoData(app.orm.em.fork())).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('when only an admin-made product exists, then the demo data is not mixed in; an existing tax rate is kept on a fresh seed', async () => {
    await app.reset();
    await buildProduct(app.orm.em.fork());
    expect(await seedDemoData(app.orm.em.fork())).toBe(false);
    expect(await app.orm.em.fork().count(Voucher, {})).toBe(0);

    await app.reset();
    await buildTaxRate(app.orm.em.fork(), 'DE', 700);
    expect(await seedDemoData(app.orm.em.fork())).toBe(true);
    expect((await app.orm.em.fork().findOneOrFail(TaxRate, { country: 'DE' })).rateBps).toBe(700);
  });
});
