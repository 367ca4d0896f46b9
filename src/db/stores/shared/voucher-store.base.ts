import type { Sql } from '../../sql/sql';
import type { UnitOfWork } from '../../unit-of-work';
import type { HeldUses, NewRedemption, VoucherStore } from '../voucher-store';

/** A multi-row insert of redemptions that lets a row whose slot is taken drop out, answering the rows that went in. */
export function insertRedemptions(sql: Sql, redemptions: readonly NewRedemption[]): { text: string; params: unknown[] } {
  const placeholders = redemptions.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
  return {
    text:
      `insert into voucher_redemptions (id, voucher_id, customer_key, slot, status, order_id, created_at) values ${placeholders}` +
      ' on conflict do nothing returning id, voucher_id',
    params: redemptions.flatMap((r) => [r.id, r.voucherId, r.holder, r.slot, r.status, r.orderId, sql.time(r.createdAt)]),
  };
}

/** One more use for each voucher `in (…)` still below its total cap; the list is the caller's (a subquery or `?`). */
export const countUsesOf = (vouchers: string): string =>
  `update vouchers set redemption_count = redemption_count + 1 where id in (${vouchers}) and (max_redemptions is null or redemption_count < max_redemptions)`;

/** What both dialects write alike; only `hold` differs (one statement or two). */
export abstract class VoucherStoreBase implements VoucherStore {
  abstract hold(uow: UnitOfWork, redemptions: readonly NewRedemption[]): Promise<HeldUses>;

  async countUse(uow: UnitOfWork, voucherId: string): Promise<boolean> {
    return (await uow.sql.write(countUsesOf('?'), [voucherId])) === 1;
  }

  async returnUse(uow: UnitOfWork, voucherId: string): Promise<void> {
    await uow.sql.write('update vouchers set redemption_count = redemption_count - 1 where id = ? and redemption_count > 0', [voucherId]);
  }
}
