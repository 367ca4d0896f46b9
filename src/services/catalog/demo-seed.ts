import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Product, Seller, ShippingMethod, StockLevel, TaxRate, Variant, Voucher, VoucherKind } from '../../entities';
import { logger } from '../shared/logger';
import { ensureDefaultWarehouse } from './default-warehouse';

interface DemoVariant {
  sku: string;
  name: string;
  price: number;
  stock: number;
}
interface DemoProduct {
  name: string;
  currency: 'EUR' | 'USD';
  sold: boolean;
  variants: DemoVariant[];
}

/** `sold` = sold by the demo marketplace seller (its sales create seller transfers). */
const PRODUCTS: DemoProduct[] = [
  {
    name: 'Canvas Tote Bag',
    currency: 'EUR',
    sold: false,
    variants: [
      { sku: 'TOTE-NATURAL', name: 'Natural', price: 1_990, stock: 120 },
      { sku: 'TOTE-BLACK', name: 'Black', price: 1_990, stock: 80 },
    ],
  },
  {
    name: 'Merino Beanie',
    currency: 'EUR',
    sold: true,
    variants: [
      { sku: 'BEANIE-GREY', name: 'Grey', price: 3_450, stock: 40 },
      { sku: 'BEANIE-NAVY', name: 'Navy', price: 3_450, stock: 25 },
      { sku: 'BEANIE-RUST', name: 'Rust', price: 3_650, stock: 3 },
    ],
  },
  { name: 'Pour-Over Coffee Set', currency: 'EUR', sold: true, variants: [{ sku: 'POUR-OVER-SET', name: 'Standard', price: 5_900, stock: 15 }] },
  {
    name: 'Enamel Camp Mug',
    currency: 'USD',
    sold: false,
    variants: [
      { sku: 'MUG-WHITE', name: 'White', price: 1_400, stock: 200 },
      { sku: 'MUG-GREEN', name: 'Green', price: 1_400, stock: 150 },
    ],
  },
  {
    name: 'Trail Running Socks',
    currency: 'USD',
    sold: true,
    variants: [
      { sku: 'SOCKS-S', name: 'Small', price: 1_800, stock: 60 },
      { sku: 'SOCKS-M', name: 'Medium', price: 1_800, stock: 60 },
      { sku: 'SOCKS-L', name: 'Large', price: 1_800, stock: 1 },
    ],
  },
  { name: 'Limited Art Print', currency: 'USD', sold: false, variants: [{ sku: 'PRINT-LTD', name: 'Signed, numbered', price: 12_000, stock: 1 }] },
];

const SHIPPING = [
  { name: 'Standard', price: 495, currency: 'EUR' },
  { name: 'Express', price: 1_295, currency: 'EUR' },
  { name: 'Standard', price: 599, currency: 'USD' },
  { name: 'Express', price: 1_499, currency: 'USD' },
];

const TAX_RATES_BPS: Record<string, number> = { DE: 1_900, FR: 2_000, NL: 2_100, GB: 2_000, IT: 2_200, ES: 2_100, US: 0 };

interface DemoDiscountVoucher {
  code: string;
  kind: Exclude<VoucherKind, VoucherKind.CREDIT>;
  value: number;
  currency?: string;
  maxRedemptions?: number;
}

/**
 * A CREDIT voucher hands out money to anyone who signs up, so a demo one must
 * carry a total cap (three throwaway sign-ups each took 25 EUR, one
 * paid a whole order with it): the type makes `maxRedemptions` required.
 */
interface DemoCreditVoucher {
  code: string;
  kind: VoucherKind.CREDIT;
  value: number;
  currency: string;
  perCustomerLimit: number;
  maxRedemptions: number;
}

/** Accounts that can ever take the demo credit: enough to try it out, too few to be worth farming. */
export const DEMO_CREDIT_CAP = 2;

const VOUCHERS: (DemoDiscountVoucher | DemoCreditVoucher)[] = [
  { code: 'WELCOME10', kind: VoucherKind.PERCENT_OFF, value: 1_000 },
  { code: 'TENOFF', kind: VoucherKind.AMOUNT_OFF, value: 1_000, currency: 'EUR', maxRedemptions: 100 },
  { code: 'FREESHIP', kind: VoucherKind.FREE_SHIPPING, value: 0 },
  { code: 'ONEUSE', kind: VoucherKind.AMOUNT_OFF, value: 500, currency: 'EUR', maxRedemptions: 1 },
  { code: 'CREDIT25', kind: VoucherKind.CREDIT, value: 2_500, currency: 'EUR', perCustomerLimit: 1, maxRedemptions: DEMO_CREDIT_CAP },
];

/**
 * A small, realistic catalog for a fresh install (DEMO_DATA=on), so the
 * playground has something to buy. Runs only on an empty catalog and writes
 * everything in one transaction; returns whether it seeded. Two processes
 * starting together on one database: the loser hits a unique index, rolls back
 * and reports false.
 */
export async function seedDemoData(em: EntityManager): Promise<boolean> {
  try {
    return await em.fork().transactional(async (tx) => {
      if ((await tx.count(Product, {})) > 0 || (await tx.count(Voucher, {})) > 0) return false;
      const warehouse = await ensureDefaultWarehouse(tx);
      const seller = tx.create(Seller, { name: 'Tillgate Demo Makers', stripeAccountId: 'acct_demo_seller' });
      for (const spec of PRODUCTS) {
        const product = tx.create(Product, { name: spec.name, seller: spec.sold ? seller : null });
        for (const v of spec.variants) {
          const variant = tx.create(Variant, { product, sku: v.sku, name: v.name, price: v.price, currency: spec.currency });
          tx.create(StockLevel, { variant, warehouse, onHand: v.stock });
        }
      }
      for (const method of SHIPPING) tx.create(ShippingMethod, method);
      // Rates someone already configured are theirs to keep.
      const configured = new Set((await tx.find(TaxRate, {})).map((rate) => rate.country));
      for (const [country, rateBps] of Object.entries(TAX_RATES_BPS)) {
        if (!configured.has(country)) tx.create(TaxRate, { country, rateBps });
      }
      for (const voucher of VOUCHERS) tx.create(Voucher, voucher);
      return true;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      logger.info('demo_data.skipped', { reason: 'seeded concurrently by another process' });
      return false;
    }
    throw error;
  }
}
