/**
 * After a run, straight from the database (the server stopped, so nothing is
 * in flight and a libSQL file has no other writer): the bench's own record of
 * what it did must match what the gateway stored.
 * - orders PLACED = flows whose confirmCheckout answered PLACED (warm-up and counting passes included);
 * - for every variant the bench created: on hand = initial stock - units in PLACED orders' lines;
 * - for every bench voucher: redemption_count = HELD + CONSUMED redemptions, and
 *   CONSUMED redemptions over all bench vouchers = PLACED orders (every flow applies one).
 * Plain SQL over columns that exist on every revision since the first migration,
 * the same text on both dialects, so a baseline build is checked the same way.
 */
import Libsql from 'libsql';
import { Client } from 'pg';
import type { DatabaseLedger } from './checkout-flow';

export type Database = { kind: 'postgresql'; url: string } | { kind: 'libsql'; file: string };
type Row = Record<string, unknown>;

async function withQuery<T>(database: Database, use: (query: (sql: string) => Promise<Row[]>) => Promise<T>): Promise<T> {
  if (database.kind === 'postgresql') {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return await use(async (sql) => (await client.query(sql)).rows);
    } finally {
      await client.end();
    }
  }
  // `libsql` is the better-sqlite3-compatible driver under MikroORM's libSQL dialect (there is no @libsql/client here).
  const db = new Libsql(database.file);
  try {
    return await use(async (sql) => db.prepare(sql).all() as Row[]);
  } finally {
    db.close();
  }
}

/** Counts come back as strings from pg (bigint) and as numbers or bigints from libSQL. */
const num = (value: unknown): number => Number(value ?? 0);

export async function checkCorrectness(database: Database, ledger: DatabaseLedger): Promise<string[]> {
  return withQuery(database, async (query) => {
    const problems: string[] = [];

    const [{ placed }] = await query(`select count(*) as placed from orders where status = 'PLACED'`);
    if (num(placed) !== ledger.placedFlows) {
      problems.push(`${num(placed)} orders PLACED, but ${ledger.placedFlows} flows succeeded`);
    }

    const sold = new Map<string, number>();
    for (const row of await query(
      `select l.variant_id as variant_id, sum(l.quantity) as units from order_lines l join orders o on o.id = l.order_id
       where o.status = 'PLACED' group by l.variant_id`,
    ))
      sold.set(String(row.variant_id), num(row.units));
    const onHand = new Map<string, number>();
    for (const row of await query(`select variant_id, sum(on_hand) as on_hand from stock_levels group by variant_id`)) {
      onHand.set(String(row.variant_id), num(row.on_hand));
    }
    let stockMismatches = 0;
    for (const [variantId, initial] of ledger.initialStock) {
      const expected = initial - (sold.get(variantId) ?? 0);
      const actual = onHand.get(variantId);
      if (actual !== expected && stockMismatches++ < 10) {
        problems.push(`variant ${variantId}: on hand ${actual ?? 'missing'}, expected ${initial} - ${sold.get(variantId) ?? 0} sold = ${expected}`);
      }
    }
    if (stockMismatches > 10) problems.push(`... ${stockMismatches} variants in all have wrong stock`);
    for (const variantId of sold.keys()) {
      if (!ledger.initialStock.has(variantId)) problems.push(`a PLACED order sells variant ${variantId}, which the bench never created`);
    }

    const codes = new Set(ledger.voucherCodes);
    let consumed = 0;
    for (const row of await query(
      `select v.code as code, v.redemption_count as redemption_count,
         (select count(*) from voucher_redemptions r where r.voucher_id = v.id and r.status in ('HELD', 'CONSUMED')) as live,
         (select count(*) from voucher_redemptions r where r.voucher_id = v.id and r.status = 'CONSUMED') as consumed
       from vouchers v`,
    )) {
      if (!codes.has(String(row.code))) continue;
      consumed += num(row.consumed);
      if (num(row.redemption_count) !== num(row.live)) {
        problems.push(`voucher ${String(row.code)}: redemption_count ${num(row.redemption_count)}, but ${num(row.live)} HELD + CONSUMED redemptions`);
      }
    }
    if (consumed !== num(placed)) problems.push(`${consumed} CONSUMED voucher redemptions for ${num(placed)} PLACED orders (every flow applies the voucher)`);
    return problems;
  });
}
