import type { EntityManager } from '../../../src/db/orm';
import { Cart, VoucherKind } from '../../../src/entities';
import { priceCartEntity } from '../../support/cart-pricing-oracle';
import { loadCartSnapshot, priceSnapshot, snapshotVersionKey } from '../../../src/services/cart/cart-snapshot';
import { cartVersionKey } from '../../../src/services/cart/version-key';
import { anAddress, buildCart } from '../../factories/cart.factory';
import { buildProduct, buildSeller, buildShippingMethod, buildTaxRate, buildVoucher } from '../../factories/catalog.factory';
import { testDialect } from '../../support/test-database';
import { minutesFromNow, useCartTestApp } from './cart-test-app';

describe('cart snapshot', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  /** The cart store, reading in `manager`'s transaction (or none). */
  const reads = (manager: EntityManager = em()) => ({ carts: h.app.tillgate.deps.stores.carts, uow: h.app.tillgate.deps.db.unitOfWork(manager) });

  /** A customer's cart with everything on it: lines of two products (one sold by a seller), shipping, a taxed address, vouchers. */
  async function fullCart() {
    const seller = await buildSeller(em());
    const sold = await buildProduct(em(), { name: 'Kettle', seller, variants: [{ price: 3_999, currency: 'EUR', stock: 9, name: 'Steel' }] });
    const own = await buildProduct(em(), {
      name: 'Mug',
      variants: [
        { price: 1_250, currency: 'EUR', stock: 9 },
        { price: 990, currency: 'EUR', stock: 9 },
      ],
    });
    const method = await buildShippingMethod(em(), { name: 'Courier', price: 490, currency: 'EUR' });
    await buildTaxRate(em(), 'DE', 1_900);
    const percent = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 1_500, startsAt: minutesFromNow(-60), endsAt: minutesFromNow(60) });
    const freeShipping = await buildVoucher(em(), { kind: VoucherKind.FREE_SHIPPING, perCustomerLimit: 1, maxRedemptions: 5, minSubtotal: 100 });
    const customer = await h.app.customer();
    const cart = await buildCart(em(), {
      customerId: customer.id,
      lines: [
        { variant: own.variants[1], quantity: 2 },
        { variant: sold.variants[0], quantity: 1, unitPrice: 3_799 },
        { variant: own.variants[0], quantity: 3 },
      ],
      shippingMethod: method,
      shippingAddress: anAddress({ country: 'DE' }),
      // A code whose voucher no longer exists simply stops counting.
      voucherCodes: [freeShipping.code, 'GONE-VOUCHER', percent.code],
    });
    return { cart, customer, seller, sold, own, method, percent, freeShipping };
  }

  const entityOf = (id: string) => em().findOneOrFail(Cart, { id }, { populate: ['lines', 'lines.variant', 'shippingMethod'] });

  it('when a cart with lines, shipping, address and vouchers is read, then the snapshot carries every fact of it', async () => {
    const { cart, customer, seller, sold, own, method, percent, freeShipping } = await fullCart();

    const snapshot = await loadCartSnapshot(reads(), cart.id, { lock: false });

    expect(snapshot).toMatchObject({
      id: cart.id,
      status: 'OPEN',
      version: 1,
      currency: 'EUR',
      email: null,
      customerId: customer.id,
      customerEmail: customer.email,
      shippingMethod: { id: method.id, name: 'Courier', price: 490, currency: 'EUR' },
      shippingAddress: anAddress({ country: 'DE' }),
      voucherCodes: [freeShipping.code, 'GONE-VOUCHER', percent.code],
      pricesValidatedAt: null,
      nextLinePosition: 3,
    });
    expect(snapshot!.createdAt.getTime()).toBe(cart.createdAt.getTime());
    expect(snapshot!.updatedAt.getTime()).toBe(cart.updatedAt.getTime());
    expect(snapshot!.lines).toEqual([
      expect.objectContaining({
        variantId: own.variants[1].id,
        quantity: 2,
        unitPrice: 990,
        catalogPrice: 990,
        position: 0,
        sellerId: null,
        productName: 'Mug',
      }),
      expect.objectContaining({
        id: cart.lines[1].id,
        variantId: sold.variants[0].id,
        quantity: 1,
        unitPrice: 3_799,
        catalogPrice: 3_999,
        position: 1,
        variantCurrency: 'EUR',
        sku: sold.variants[0].sku,
        variantName: 'Steel',
        productId: sold.product.id,
        productName: 'Kettle',
        sellerId: seller.id,
      }),
      expect.objectContaining({ variantId: own.variants[0].id, quantity: 3, position: 2 }),
    ]);
    expect(snapshot!.pricingInputs.taxRateBps).toBe(1_900);
    expect(snapshot!.pricingInputs.vouchers).toEqual([
      {
        id: freeShipping.id,
        code: freeShipping.code,
        kind: 'FREE_SHIPPING',
        value: 0,
        currency: null,
        maxRedemptions: 5,
        perCustomerLimit: 1,
        redemptionCount: 0,
        startsAt: null,
        endsAt: null,
        minSubtotal: 100,
      },
      expect.objectContaining({ code: percent.code, value: 1_500, startsAt: minutesFromNow(-60), endsAt: minutesFromNow(60) }),
    ]);
  });

  it('when the cart does not exist, then the snapshot is null', async () => {
    expect(await loadCartSnapshot(reads(), '0f0e0d0c-0b0a-4909-8807-060504030201', { lock: false })).toBeNull();
  });

  it('when carts of every shape are read both ways, then the snapshot key and pricing equal the entity ones', async () => {
    const { cart: full } = await fullCart();
    const { variants } = await buildProduct(em(), { variants: [{ price: 700, currency: 'EUR', stock: 5 }] });
    const carts = [
      full,
      await buildCart(em()),
      await buildCart(em(), { email: 'Guest@Example.com', lines: [{ variant: variants[0], quantity: 4, unitPrice: 650 }] }),
      await buildCart(em(), { shippingAddress: anAddress({ country: 'FR' }), voucherCodes: ['NO-SUCH-CODE'] }),
    ];
    const unitPrices = new Map([[variants[0].id, 701]]);
    for (const cart of carts) {
      const entity = await entityOf(cart.id);
      const snapshot = (await loadCartSnapshot(reads(), cart.id, { lock: false }))!;
      expect(snapshotVersionKey(snapshot)).toBe(cartVersionKey(entity));

      const fromEntity = await priceCartEntity(em(), entity);
      const fromSnapshot = await priceSnapshot(reads(), snapshot);
      expect(fromSnapshot.pricing).toEqual(fromEntity.pricing);
      expect(fromSnapshot.taxRateBps).toBe(fromEntity.taxRateBps);
      expect(fromSnapshot.vouchers.map((v) => [v.id, v.code, v.kind, v.value])).toEqual(fromEntity.vouchers.map((v) => [v.id, v.code, v.kind, v.value]));
      expect((await priceSnapshot(reads(), snapshot, { unitPrices })).pricing).toEqual((await priceCartEntity(em(), entity, { unitPrices })).pricing);
    }
  });

  it('when a snapshot is read, then that is one statement, plus the row lock on PostgreSQL when asked', async () => {
    const { cart } = await fullCart();
    const read = await h.statementsDuring(() => loadCartSnapshot(reads(), cart.id, { lock: false }));
    expect(read).toHaveLength(1);

    const locked = await h.statementsDuring(() => em().transactional((tx) => loadCartSnapshot(reads(tx as EntityManager), cart.id, { lock: true })));
    const inside = locked.filter((sql) => !/\] (begin|commit)\b/.test(sql));
    expect(inside).toHaveLength(testDialect() === 'postgresql' ? 2 : 1);
    if (testDialect() === 'postgresql') expect(inside[0]).toMatch(/for update/);
  });

  it('when pricing a snapshot as read, then no statement runs; after an in-memory address change, one reads the new rate', async () => {
    const { cart } = await fullCart();
    await buildTaxRate(em(), 'AT', 2_000);
    const snapshot = (await loadCartSnapshot(reads(), cart.id, { lock: false }))!;

    expect(await h.statementsDuring(() => priceSnapshot(reads(), snapshot))).toEqual([]);

    const moved = { ...snapshot, shippingAddress: anAddress({ country: 'AT' }) };
    let taxRateBps = 0;
    const statements = await h.statementsDuring(async () => {
      taxRateBps = (await priceSnapshot(reads(), moved)).taxRateBps;
    });
    expect(statements).toHaveLength(1);
    expect(taxRateBps).toBe(2_000);
  });
});
