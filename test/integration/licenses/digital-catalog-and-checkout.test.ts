import { LicenseStatus, Reservation, Variant, VariantKind } from '../../../src/entities';
import { UNLIMITED_DIGITAL_UNITS } from '../../../src/db/stores/catalog-store';
import { buildDigitalVariant, buildProduct } from '../../factories/catalog.factory';
import { START_CHECKOUT } from '../../factories/checkout.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { usePaymentsApp } from '../../support/payments-app';
import { CREATE_PRODUCT, SET_STOCK } from '../catalog/catalog-operations';
import { confirm } from '../payments/payments-harness';
import { refundOrder } from '../refunds/refund-api';
import { activeCount, digitalCart, licensesOf } from './digital-goods-harness';

describe('digital goods: catalog, preview, cap release, failed refunds and statement shape', () => {
  let recorded: string[] | null = null;
  const h = usePaymentsApp({ start: { onQuery: (sql) => recorded?.push(sql) } });
  const em = () => h.app.orm.em.fork();

  async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    recorded = [];
    try {
      const result = await work();
      return { result, statements: recorded };
    } finally {
      recorded = null;
    }
  }

  it('when an admin creates DIGITAL variants, then they have kind and cap and no stock; a cap on a physical variant, stock on a digital one and setStock on it are refused', async () => {
    const admin = await h.app.adminToken();
    const variant = (overrides: Record<string, unknown>) => ({
      sku: `D-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Download',
      price: 900,
      currency: 'EUR',
      stock: 0,
      ...overrides,
    });
    const created = await h.app.gql(
      CREATE_PRODUCT.replace('available', 'available kind maxLicenses'),
      {
        input: { name: 'Course', variants: [variant({ kind: 'DIGITAL', maxLicenses: 3 }), variant({ kind: 'DIGITAL' }), variant({ stock: 4 })] },
      },
      { token: admin },
    );
    const capOnPhysical = await h.app.gql(CREATE_PRODUCT, { input: { name: 'Mug', variants: [variant({ maxLicenses: 3 })] } }, { token: admin });
    const stockOnDigital = await h.app.gql(CREATE_PRODUCT, { input: { name: 'Book', variants: [variant({ kind: 'DIGITAL', stock: 5 })] } }, { token: admin });

    const variants: { id: string; kind: string; maxLicenses: number | null; available: number }[] = created.data.createProduct.variants;
    expect(variants.map((v) => [v.kind, v.maxLicenses, v.available]).sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual([
      ['DIGITAL', 3, 3],
      ['PHYSICAL', null, 4],
      ['DIGITAL', null, UNLIMITED_DIGITAL_UNITS],
    ]);
    const capped = variants.find((v) => v.maxLicenses === 3)!;
    expect(capOnPhysical.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'variants.0.maxLicenses' });
    expect(stockOnDigital.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'variants.0.stock' });
    const setStock = await h.app.gql(SET_STOCK, { input: { variantId: capped.id, onHand: 10 } }, { token: admin });
    expect(setStock.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await em().count(Variant, { kind: VariantKind.DIGITAL })).toBe(2);
  });

  it('when a mixed cart is previewed, then only its physical line is reserved; a digital-only cart previews without reserving anything', async () => {
    const ebook = await buildDigitalVariant(em());
    const {
      variants: [mug],
    } = await buildProduct(em(), { variants: [{ price: 900, currency: 'EUR', stock: 5 }] });
    const mixed = await digitalCart(
      h.app,
      [
        { variant: ebook, quantity: 2 },
        { variant: mug, quantity: 1 },
      ],
      { shipping: true },
    );
    const digitalOnly = await digitalCart(h.app, [{ variant: ebook, quantity: 1 }]);

    const mixedPreview = (await h.app.gql(START_CHECKOUT, { input: { cartId: mixed.cartId } })).data.startCheckout;
    const digitalPreview = (await h.app.gql(START_CHECKOUT, { input: { cartId: digitalOnly.cartId } })).data.startCheckout;

    expect(mixedPreview.__typename).toBe('CheckoutPreview');
    expect(digitalPreview.__typename).toBe('CheckoutPreview');
    const held = await em().find(Reservation, { cartId: { $in: [mixed.cartId, digitalOnly.cartId] } });
    expect(held.map((r) => [r.cartId, r.variant.id, r.quantity])).toEqual([[mixed.cartId, mug.id, 1]]);
    const placed = await confirm(h.app, { cartId: mixed.cartId, versionKey: mixedPreview.versionKey, ...VISA });
    expect(placed.order.status).toBe('PLACED');
    expect(await licensesOf(h.app, placed.order.id)).toHaveLength(2);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a card is declined for the last capped license, then the claimed unit is given back and the next buyer gets it', async () => {
    const variant = await buildDigitalVariant(em(), { price: 1_000, maxLicenses: 1 });
    const first = await digitalCart(h.app, [{ variant, quantity: 1 }]);
    const second = await digitalCart(h.app, [{ variant, quantity: 1 }]);

    const declined = await confirm(h.app, { ...pick(first), paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_chargeDeclined' });
    expect(declined).toMatchObject({ __typename: 'UserError', errorCode: 'PAYMENT_DECLINED' });
    expect((await em().findOneOrFail(Variant, { id: variant.id })).licensesClaimed).toBe(0);

    const paid = await confirm(h.app, { ...pick(second), ...VISA });
    const third = await digitalCart(h.app, [{ variant, quantity: 1 }]);
    const intentsBefore = h.stripe.emulator.createdObjects('payment_intent').length;
    const refused = await confirm(h.app, { ...pick(third), ...VISA });

    expect(paid.order.status).toBe('PLACED');
    expect(refused).toMatchObject({ __typename: 'InsufficientStockError', shortfalls: [{ variantId: variant.id, requested: 1, available: 0 }] });
    // Refused before the payment step: the third buyer's card was never asked.
    expect(h.stripe.emulator.createdObjects('payment_intent')).toHaveLength(intentsBefore);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when Stripe refuses a refund for good, then the refund is FAILED and every license stays ACTIVE', async () => {
    const variant = await buildDigitalVariant(em(), { price: 1_000 });
    const cart = await digitalCart(h.app, [{ variant, quantity: 2 }]);
    const paid = await confirm(h.app, { ...pick(cart), paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' });
    h.stripe.emulator.faults.add({
      path: '/v1/refunds',
      action: { kind: 'status', status: 400, error: { type: 'invalid_request_error', code: 'charge_disputed', message: 'disputed' } },
    });

    const failed = await refundOrder(h.app, { orderId: paid.order.id, idempotencyKey: `failed-${paid.order.id}` });

    expect(failed.status).toBe('FAILED');
    expect(await activeCount(h.app, paid.order.id)).toBe(2);
    expect((await licensesOf(h.app, paid.order.id)).every((l) => l.status === LicenseStatus.ACTIVE && l.revokedAt === null)).toBe(true);
  });

  it('when 5 units of two digital variants are paid by card, then licenses take one insert and the cap one update; a physical cart runs no license statement', async () => {
    const [book, course] = [await buildDigitalVariant(em(), { maxLicenses: 10 }), await buildDigitalVariant(em())];
    const digital = await digitalCart(h.app, [
      { variant: book, quantity: 3 },
      { variant: course, quantity: 2 },
    ]);
    const {
      variants: [mug],
    } = await buildProduct(em(), { variants: [{ price: 900, currency: 'EUR', stock: 5 }] });
    const physical = await digitalCart(h.app, [{ variant: mug, quantity: 2 }], { shipping: true });

    const digitalRun = await counted(() => confirm(h.app, { ...pick(digital), ...VISA }));
    const physicalRun = await counted(() => confirm(h.app, { ...pick(physical), paymentMethod: 'CASH_ON_DELIVERY' }));

    const matching = (statements: string[], pattern: RegExp) => statements.filter((sql) => pattern.test(sql));
    expect(digitalRun.result.order.status).toBe('PLACED');
    expect(matching(digitalRun.statements, /insert into [`"]?licenses/i)).toHaveLength(1);
    expect(matching(digitalRun.statements, /update variants set licenses_claimed/i)).toHaveLength(1);
    // The cart read carries the reservation look-ups along; nothing reserves, converts or locks stock.
    expect(matching(digitalRun.statements, /(insert into|update|delete from) [`"]?(reservations|stock_levels)|stock_levels.*for update/i)).toEqual([]);
    expect(await licensesOf(h.app, digitalRun.result.order.id)).toHaveLength(5);
    expect(physicalRun.result.order.status).toBe('PLACED');
    expect(matching(physicalRun.statements, /licenses/i)).toEqual([]);
  });
});

const pick = (cart: { cartId: string; versionKey: string }) => ({ cartId: cart.cartId, versionKey: cart.versionKey });
const VISA = { paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' };
