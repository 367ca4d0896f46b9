import { intOf } from '../../sql/row-values';
import type { UnitOfWork } from '../../unit-of-work';
import type { HeldUses, NewRedemption } from '../voucher-store';
import { countUsesOf, insertRedemptions, VoucherStoreBase } from '../shared/voucher-store.base';

/** Voucher uses on PostgreSQL: a hold is one statement, the counter update reading the insert's RETURNING rows. */
export class PgVoucherStore extends VoucherStoreBase {
  async hold(uow: UnitOfWork, redemptions: readonly NewRedemption[]): Promise<HeldUses> {
    if (redemptions.length === 0) return { held: new Set(), counted: 0 };
    const insert = insertRedemptions(uow.sql, redemptions);
    const rows = await uow.sql.rows<{ id: string; counted: unknown }>(
      `with inserted as (${insert.text}), counted as (${countUsesOf('select voucher_id from inserted')} returning 1)` +
        ' select id, (select count(*) from counted) as counted from inserted',
      insert.params,
    );
    return { held: new Set(rows.map((row) => String(row.id))), counted: rows.length === 0 ? 0 : intOf(rows[0].counted) };
  }
}
