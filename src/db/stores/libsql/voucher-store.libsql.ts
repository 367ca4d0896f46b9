import type { UnitOfWork } from '../../unit-of-work';
import type { HeldUses, NewRedemption } from '../voucher-store';
import { countUsesOf, insertRedemptions, VoucherStoreBase } from '../shared/voucher-store.base';

/** Voucher uses on libSQL: a hold is the insert, then the counter update for the rows it answered. */
export class LibsqlVoucherStore extends VoucherStoreBase {
  async hold(uow: UnitOfWork, redemptions: readonly NewRedemption[]): Promise<HeldUses> {
    if (redemptions.length === 0) return { held: new Set(), counted: 0 };
    const insert = insertRedemptions(uow.sql, redemptions);
    const inserted = await uow.sql.rows<{ id: string; voucher_id: string }>(insert.text, insert.params);
    if (inserted.length === 0) return { held: new Set(), counted: 0 };
    const counted = await uow.sql.write(countUsesOf('?'), [inserted.map((row) => String(row.voucher_id))]);
    return { held: new Set(inserted.map((row) => String(row.id))), counted };
  }
}
