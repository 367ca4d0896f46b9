import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { writeLock, type EntityManager } from '../../db/orm';
import { Product, Seller, type BillingInterval, ShippingMethod, StockLevel, Variant, VariantKind, Warehouse } from '../../entities';
import { newId } from '../../entities/columns';
import { recordEvent } from '../outbox/outbox';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, fail, userFailure, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { ensureDefaultWarehouse } from './default-warehouse';
import { refusedVariantSpec } from './variant-spec';
import { holdsStock } from './variant-kinds';

export interface NewSeller {
  name: string;
  stripeAccountId: string;
}
export interface NewVariant {
  sku: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  kind?: VariantKind | null;
  maxLicenses?: number | null;
  billingInterval?: BillingInterval | null;
  billingIntervalCount?: number | null;
}
export interface NewProduct {
  name: string;
  sellerId?: string | null;
  variants: NewVariant[];
}
export interface VariantPriceChange {
  variantId: string;
  price: number;
}
export interface StockChange {
  variantId: string;
  warehouseId?: string | null;
  onHand: number;
}
export interface NewShippingMethod {
  name: string;
  price: number;
  currency: string;
}

const notFound = (what: string, field: string) => userFailure(ErrorCode.NOT_FOUND, `No ${what} with this id.`, field);

/**
 * Admin catalog writes. Input shape limits (lengths, patterns, ranges) are
 * enforced by the GraphQL input classes; this service owns the rules that need
 * the database (existence, uniqueness, stock held by checkouts). Each use case is
 * one short transaction: it writes everything or nothing.
 */
export class CatalogAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock' | 'db' | 'stores'>,
  ) {}

  createSeller(input: NewSeller): Promise<Outcome<Seller>> {
    return transactionalOutcome(this.em, async (tx) => {
      const seller = tx.create(Seller, { name: input.name.trim(), stripeAccountId: input.stripeAccountId, createdAt: this.deps.clock.now() });
      recordEvent(tx, { type: 'seller.created', aggregateId: seller.id, payload: { name: seller.name } });
      return seller;
    });
  }

  createProduct(input: NewProduct): Promise<Outcome<{ product: Product; variants: Variant[] }>> {
    const duplicate = input.variants.findIndex((v, i) => input.variants.findIndex((w) => w.sku === v.sku) !== i);
    if (duplicate >= 0) return Promise.resolve(fail(ErrorCode.VALIDATION_FAILED, 'Each variant needs its own sku.', `variants.${duplicate}.sku`));
    if (input.sellerId != null && !isId(input.sellerId)) return Promise.resolve({ ok: false, failure: notFound('seller', 'sellerId') });
    const badSpec = refusedVariantSpec(input.variants);
    if (badSpec) return Promise.resolve({ ok: false, failure: badSpec });

    return transactionalOutcome(this.em, async (tx) => {
      const seller = input.sellerId == null ? null : await tx.findOne(Seller, { id: input.sellerId });
      if (input.sellerId != null && !seller) abortWith(notFound('seller', 'sellerId'));
      await this.refuseTakenSkus(
        tx,
        input.variants.map((v) => v.sku),
      );

      const warehouse = await ensureDefaultWarehouse(tx);
      const now = this.deps.clock.now();
      const product = tx.create(Product, { name: input.name.trim(), seller, createdAt: now });
      const variants = input.variants.map((spec) => {
        const kind = spec.kind ?? VariantKind.PHYSICAL;
        const variant = tx.create(Variant, {
          product,
          sku: spec.sku,
          name: spec.name.trim(),
          price: spec.price,
          currency: spec.currency,
          createdAt: now,
          kind,
          maxLicenses: spec.maxLicenses ?? null,
          billingInterval: kind === VariantKind.SUBSCRIPTION ? spec.billingInterval : null,
          billingIntervalCount: kind === VariantKind.SUBSCRIPTION ? (spec.billingIntervalCount ?? 1) : null,
        });
        // A DIGITAL variant or a plan never has stock rows (it never reserves).
        if (holdsStock(kind)) tx.create(StockLevel, { variant, warehouse, onHand: spec.stock });
        return variant;
      });
      recordEvent(tx, {
        type: 'product.created',
        aggregateId: product.id,
        payload: { variants: variants.map((v) => ({ id: v.id, sku: v.sku, price: v.price, currency: v.currency, kind: v.kind, maxLicenses: v.maxLicenses })) },
      });
      await flushOrRefuseTakenSku(tx);
      return { product, variants };
    });
  }

  setVariantPrice(input: VariantPriceChange): Promise<Outcome<Variant>> {
    if (!isId(input.variantId)) return Promise.resolve({ ok: false, failure: notFound('variant', 'variantId') });
    return transactionalOutcome(this.em, async (tx) => {
      const variant = await tx.findOne(Variant, { id: input.variantId }, writeLock(tx));
      if (!variant) return abortWith(notFound('variant', 'variantId'));
      const previous = variant.price;
      variant.price = input.price;
      recordEvent(tx, {
        type: 'variant.price_changed',
        aggregateId: variant.id,
        payload: { previous, current: input.price, currency: variant.currency },
      });
      return variant;
    });
  }

  /**
   * Sets the units on hand in one warehouse. Refused when the new total over all
   * warehouses would fall below what active checkouts hold: those reservations
   * become stock decrements when their orders are placed, and on hand must never
   * go negative (invariant 5). The stock rows are locked first, so a
   * reservation cannot slip in between the check and the write.
   */
  setStock(input: StockChange): Promise<Outcome<Variant>> {
    if (!isId(input.variantId)) return Promise.resolve({ ok: false, failure: notFound('variant', 'variantId') });
    if (input.warehouseId != null && !isId(input.warehouseId)) {
      return Promise.resolve({ ok: false, failure: notFound('warehouse', 'warehouseId') });
    }
    return transactionalOutcome(this.em, async (tx) => {
      const variant = await tx.findOne(Variant, { id: input.variantId });
      if (!variant) return abortWith(notFound('variant', 'variantId'));
      if (!holdsStock(variant.kind)) return abortWith(userFailure(ErrorCode.VALIDATION_FAILED, `A ${variant.kind} variant has no stock.`, 'variantId'));
      const warehouse = input.warehouseId == null ? await ensureDefaultWarehouse(tx) : await tx.findOne(Warehouse, { id: input.warehouseId });
      if (!warehouse) return abortWith(notFound('warehouse', 'warehouseId'));

      const { stock } = this.deps.stores;
      const uow = this.deps.db.unitOfWork(tx);
      await stock.lock(uow, [variant.id]);
      const onHandElsewhere = (await stock.onHand(uow, [variant.id])).get(variant.id) ?? 0;
      const current = await tx.findOne(StockLevel, { variant, warehouse });
      const newTotal = onHandElsewhere - (current?.onHand ?? 0) + input.onHand;
      const held = (await stock.reserved(uow, [variant.id], this.deps.clock.now())).get(variant.id) ?? 0;
      if (newTotal < held) {
        abortWith(
          userFailure(
            ErrorCode.VALIDATION_FAILED,
            `${held} units are held by checkouts in progress; on hand over all warehouses cannot go below that (would be ${newTotal}).`,
            'onHand',
          ),
        );
      }

      if (current) current.onHand = input.onHand;
      else {
        // Upsert: a concurrent first write for the same (variant, warehouse) merges instead of failing.
        await tx.upsert(
          StockLevel,
          { id: newId(), variant, warehouse, onHand: input.onHand },
          {
            onConflictFields: ['variant', 'warehouse'],
            onConflictAction: 'merge',
            onConflictMergeFields: ['onHand'],
          },
        );
      }
      recordEvent(tx, {
        type: 'stock.set',
        aggregateId: variant.id,
        payload: { warehouseId: warehouse.id, previous: current?.onHand ?? 0, onHand: input.onHand },
      });
      return variant;
    });
  }

  createShippingMethod(input: NewShippingMethod): Promise<Outcome<ShippingMethod>> {
    return transactionalOutcome(this.em, async (tx) => tx.create(ShippingMethod, { name: input.name.trim(), price: input.price, currency: input.currency }));
  }

  private async refuseTakenSkus(tx: EntityManager, skus: string[]): Promise<void> {
    const taken = await tx.find(Variant, { sku: { $in: skus } }, { fields: ['sku'] });
    if (taken.length > 0) {
      const index = skus.indexOf(taken[0].sku);
      abortWith(userFailure(ErrorCode.VALIDATION_FAILED, `SKU ${taken[0].sku} is already used by another variant.`, `variants.${index}.sku`));
    }
  }
}

/** The pre-check covers the usual case; the unique index catches a concurrent twin. */
async function flushOrRefuseTakenSku(tx: EntityManager): Promise<void> {
  try {
    await tx.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      abortWith(userFailure(ErrorCode.VALIDATION_FAILED, 'A SKU in this product was just taken by another variant.', 'variants'));
    }
    throw error;
  }
}
