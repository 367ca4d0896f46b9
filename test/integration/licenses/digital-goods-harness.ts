import { License, LicenseStatus, OutboxEvent, type Variant } from '../../../src/entities';
import { buildShippingMethod } from '../../factories/catalog.factory';
import { anAddress, cartApi } from '../../factories/cart.factory';
import type { TestApp } from '../../support/test-app';

/** A guest cart built through the public API: the given lines, and shipping only when asked. */
export async function digitalCart(app: TestApp, lines: { variant: Variant; quantity: number }[], options: { shipping?: boolean } = {}) {
  const api = cartApi(app);
  let cart = await api.create({ email: `buyer-${Math.random().toString(36).slice(2)}@example.com` });
  for (const line of lines) cart = await api.addLine(cart.id, line.variant.id, line.quantity);
  if (options.shipping) {
    const method = await buildShippingMethod(app.orm.em.fork(), { price: 500 });
    cart = await api.setShippingMethod(cart.id, method.id);
    cart = await api.setShippingAddress(cart.id, anAddress());
  }
  if (cart.__typename && cart.__typename !== 'Cart') throw new Error(`cart change refused: ${JSON.stringify(cart)}`);
  return { cartId: cart.id as string, versionKey: cart.versionKey as string, cart };
}

export const licensesOf = (app: TestApp, orderId: string) =>
  app.orm.em.fork().find(License, { orderId }, { orderBy: [{ orderLineId: 'asc' }, { unitIndex: 'asc' }] });

export const statusesOf = async (app: TestApp, orderId: string) => (await licensesOf(app, orderId)).map((l) => [l.unitIndex, l.status]);

export const licenseEvents = (app: TestApp, type: 'license.issued' | 'license.revoked', orderId: string) =>
  app.orm.em.fork().count(OutboxEvent, { type, aggregateId: orderId });

export const activeCount = async (app: TestApp, orderId: string) => (await licensesOf(app, orderId)).filter((l) => l.status === LicenseStatus.ACTIVE).length;
