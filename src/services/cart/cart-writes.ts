import type { EntityManager } from '../../db/orm';
import { runWrite } from '../shared/sql-rows';
import type { CartLineSnapshot } from './cart-snapshot';

/**
 * The writes of cart mutations: one statement each, only the columns that
 * change. Run inside the caller's transaction after changeOpenCart's claim
 * (which bumps the version and holds the row), or composed by cart-change.ts
 * into the claim's own statement behind a guard (see `lineWriteSql`).
 */

export type LineWrite =
  | { kind: 'insert'; cartId: string; line: CartLineSnapshot }
  | { kind: 'update'; line: Pick<CartLineSnapshot, 'id' | 'quantity' | 'unitPrice'> }
  | { kind: 'delete'; lineId: string };

export interface SqlStatement { sql: string; params: unknown[] }

/**
 * The statement of a line write. With `guard` (the name of a common table
 * expression of the same statement) it applies only when that expression
 * returned a row: the form cart-change.ts composes after a guarded claim.
 */
export function lineWriteSql(write: LineWrite, guard?: string): SqlStatement {
  const onlyIfClaimed = guard ? ` and exists (select 1 from ${guard})` : '';
  switch (write.kind) {
    case 'insert': {
      const { line } = write;
      return {
        sql: `insert into cart_lines (id, cart_id, variant_id, quantity, unit_price, position) select ?, ?, ?, ?, ?, ?${guard ? ` from ${guard}` : ''}`,
        params: [line.id, write.cartId, line.variantId, line.quantity, line.unitPrice, line.position],
      };
    }
    case 'update':
      return { sql: `update cart_lines set quantity = ?, unit_price = ? where id = ?${onlyIfClaimed}`, params: [write.line.quantity, write.line.unitPrice, write.line.id] };
    case 'delete':
      return { sql: `delete from cart_lines where id = ?${onlyIfClaimed}`, params: [write.lineId] };
  }
}

export async function runLineWrite(tx: EntityManager, write: LineWrite): Promise<void> {
  const { sql, params } = lineWriteSql(write);
  await runWrite(tx, sql, params);
}

export const insertLine = (tx: EntityManager, cartId: string, line: CartLineSnapshot): Promise<void> => runLineWrite(tx, { kind: 'insert', cartId, line });

export const updateLine = (tx: EntityManager, line: Pick<CartLineSnapshot, 'id' | 'quantity' | 'unitPrice'>): Promise<void> => runLineWrite(tx, { kind: 'update', line });

/** Re-stamps several lines' unit prices in one statement. */
export async function setLinePrices(tx: EntityManager, lines: readonly Pick<CartLineSnapshot, 'id' | 'unitPrice'>[]): Promise<void> {
  if (lines.length === 0) return;
  const cases = lines.map(() => 'when ? then ?').join(' ');
  const params = [...lines.flatMap((line) => [line.id, line.unitPrice]), lines.map((line) => line.id)];
  await runWrite(tx, `update cart_lines set unit_price = case id ${cases} end where id in (?)`, params);
}

/** `column = ?` assignments for cart columns a change sets. Columns are the caller's constants, never input. */
export function columnAssignments(values: Record<string, unknown>): SqlStatement {
  const columns = Object.keys(values);
  return { sql: columns.map((column) => `${column} = ?`).join(', '), params: columns.map((column) => values[column]) };
}

/** Cart columns a change sets after reading (the version moved with the claim already). */
export async function updateCartColumns(tx: EntityManager, cartId: string, values: Record<string, unknown>): Promise<void> {
  const assignments = columnAssignments(values);
  await runWrite(tx, `update carts set ${assignments.sql} where id = ?`, [...assignments.params, cartId]);
}
