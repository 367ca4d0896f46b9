import type { EntityManager } from '../../src/db/orm';
import { Product, Seller, ShippingMethod, StockLevel, TaxRate, Variant, VariantKind, Voucher, VoucherKind, type Warehouse } from '../../src/entities';
import { ensureDefaultWarehouse } from '../../src/services/catalog/default-warehouse';

/**
 * Catalog builders that write straight through an EntityManager (no GraphQL), so
 * tests of other areas can arrange a catalog in one line. Every call yields unique
 * skus and codes, so builders can be called repeatedly in one test.
 */
let sequence = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${++sequence}-${Math.random().toString(36).slice(2, 8)}`.toUpperCase();

export interface VariantSpec {
  price: number;
  currency: string;
  /** Units on hand in the default warehouse. */
  stock: number;
  sku?: string;
  name?: string;
}

export const defaultWarehouse = (em: EntityManager): Promise<Warehouse> => ensureDefaultWarehouse(em);

export async function buildSeller(em: EntityManager, overrides: Partial<Pick<Seller, 'name' | 'stripeAccountId' | 'createdAt'>> = {}): Promise<Seller> {
  const seller = em.create(Seller, {
    name: overrides.name ?? `Seller ${unique('s')}`,
    stripeAccountId: overrides.stripeAccountId ?? `acct_${unique('test').replace(/-/g, '')}`,
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
  await em.persistAndFlush(seller);
  return seller;
}

export async function buildProduct(
  em: EntityManager,
  options: { name?: string; variants?: VariantSpec[]; seller?: Seller | null; createdAt?: Date } = {},
): Promise<{ product: Product; variants: Variant[] }> {
  const specs = options.variants ?? [{ price: 1_000, currency: 'EUR', stock: 10 }];
  const warehouse = await ensureDefaultWarehouse(em);
  const product = em.create(Product, {
    name: options.name ?? `Product ${unique('p')}`,
    seller: options.seller ?? null,
    ...(options.createdAt ? { createdAt: options.createdAt } : {}),
  });
  const variants = specs.map((spec, index) => {
    const variant = em.create(Variant, {
      product,
      sku: spec.sku ?? unique('sku'),
      name: spec.name ?? `Variant ${index + 1}`,
      price: spec.price,
      currency: spec.currency,
    });
    em.create(StockLevel, { variant, warehouse, onHand: spec.stock });
    return variant;
  });
  await em.flush();
  return { product, variants };
}

/** A DIGITAL variant (no stock rows): one license per unit sold, at most `maxLicenses` ever (null = unlimited). */
export async function buildDigitalVariant(
  em: EntityManager,
  options: { price?: number; maxLicenses?: number | null; seller?: Seller | null; name?: string } = {},
): Promise<Variant> {
  const product = em.create(Product, { name: options.name ?? `E-book ${unique('d')}`, seller: options.seller ?? null });
  const variant = em.create(Variant, {
    product,
    sku: unique('dsku'),
    name: 'Download',
    price: options.price ?? 1_500,
    currency: 'EUR',
    kind: VariantKind.DIGITAL,
    maxLicenses: options.maxLicenses ?? null,
  });
  await em.flush();
  return variant;
}

export async function buildShippingMethod(
  em: EntityManager,
  overrides: Partial<Pick<ShippingMethod, 'name' | 'price' | 'currency'>> = {},
): Promise<ShippingMethod> {
  const method = em.create(ShippingMethod, {
    name: overrides.name ?? `Shipping ${unique('m')}`,
    price: overrides.price ?? 500,
    currency: overrides.currency ?? 'EUR',
  });
  await em.persistAndFlush(method);
  return method;
}

/** Creates or replaces the rate of one country. */
export async function buildTaxRate(em: EntityManager, country: string, rateBps: number): Promise<TaxRate> {
  await em.upsert(TaxRate, { country, rateBps });
  return em.findOneOrFail(TaxRate, { country }, { refresh: true });
}

export async function buildVoucher(
  em: EntityManager,
  overrides: Partial<
    Pick<Voucher, 'code' | 'kind' | 'value' | 'currency' | 'maxRedemptions' | 'perCustomerLimit' | 'startsAt' | 'endsAt' | 'minSubtotal' | 'redemptionCount'>
  > = {},
): Promise<Voucher> {
  const kind = overrides.kind ?? VoucherKind.PERCENT_OFF;
  const needsCurrency = kind === VoucherKind.AMOUNT_OFF || kind === VoucherKind.CREDIT;
  const voucher = em.create(Voucher, {
    kind,
    value: kind === VoucherKind.FREE_SHIPPING ? 0 : 1_000,
    currency: needsCurrency ? 'EUR' : null,
    ...overrides,
    code: (overrides.code ?? unique('v')).toUpperCase(),
  });
  await em.persistAndFlush(voucher);
  return voucher;
}
