import type { EntityManager } from '../../db/orm';
import { runWrite } from './cart-sql';
import type { CartLineSnapshot } from './cart-snapshot';

/**
 * The writes of cart mutations: one statement each, only the columns that
 * change, inside the caller's transaction (after changeOpenCart's claim, which
 * bumps the version and holds the row).
 */

export async function insertLine(tx: EntityManager, cartId: string, line: CartLineSnapshot): Promise<void> {
  await runWrite(tx, 'insert into cart_lines (id, cart_id, variant_id, quantity, unit_price, position) values (?, ?, ?, ?, ?, ?)', [
    line.id, cartId, line.variantId, line.quantity, line.unitPrice, line.position,
  ]);
}

export async function updateLine(tx: EntityManager, line: Pick<CartLineSnapshot, 'id' | 'quantity' | 'unitPrice'>): Promise<void> {
  await runWrite(tx, 'update cart_lines set quantity = ?, unit_price = ? where id = ?', [line.quantity, line.unitPrice, line.id]);
}

export async function deleteLine(tx: EntityManager, lineId: string): Promise<void> {
  await runWrite(tx, 'delete from cart_lines where id = ?', [lineId]);
}

/** Re-stamps several lines' unit prices in one statement. */
export async function setLinePrices(tx: EntityManager, lines: readonly Pick<CartLineSnapshot, 'id' | 'unitPrice'>[]): Promise<void> {
  if (lines.length === 0) return;
  const cases = lines.map(() => 'when ? then ?').join(' ');
  const params = [...lines.flatMap((line) => [line.id, line.unitPrice]), lines.map((line) => line.id)];
  await runWrite(tx, `update cart_lines set unit_price = case id ${cases} end where id in (?)`, params);
}

/** Cart columns a change sets after reading (the version moved with the claim already). Columns are the caller's constants. */
export async function updateCartColumns(tx: EntityManager, cartId: string, values: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(values);
  await runWrite(tx, `update carts set ${columns.map((column) => `${column} = ?`).join(', ')} where id = ?`, [...columns.map((column) => values[column]), cartId]);
}
