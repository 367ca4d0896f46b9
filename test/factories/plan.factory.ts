import type { EntityManager } from '../../src/db/orm';
import { BillingInterval, Product, Variant, VariantKind } from '../../src/entities';

/** A plan: a SUBSCRIPTION variant (no stock) renewing every `intervalCount` intervals. */
export async function buildPlan(em: EntityManager, options: { price?: number; interval?: BillingInterval; intervalCount?: number } = {}): Promise<Variant> {
  const product = em.create(Product, { name: `Membership ${Math.random().toString(36).slice(2, 8)}`, seller: null });
  const variant = em.create(Variant, {
    product,
    sku: `plan-${Math.random().toString(36).slice(2, 10)}`,
    name: 'Monthly',
    price: options.price ?? 1_200,
    currency: 'EUR',
    kind: VariantKind.SUBSCRIPTION,
    billingInterval: options.interval ?? BillingInterval.MONTH,
    billingIntervalCount: options.intervalCount ?? 1,
  });
  await em.flush();
  return variant;
}
