import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { money, newId } from './columns';

/**
 * Append-only store-credit ledger: a balance is the sum of its rows; spends and
 * reversals are new rows, never edits. `entryKey` is unique so a grant, spend or
 * reversal written twice (a retried compensation) is refused by the database.
 */
@Entity({ tableName: 'credit_ledger_entries' })
@Index({ properties: ['customerId', 'currency'] })
export class CreditLedgerEntry {
  [OptionalProps]?: 'orderId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'uuid' })
  customerId!: string;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** Signed minor units: grants positive, spends negative. */
  @Property(money())
  amount!: number;

  @Property({ type: 'string', length: 200 })
  reason!: string;

  @Property({ type: 'string', length: 200 })
  @Unique()
  entryKey!: string;

  @Property({ type: 'uuid', nullable: true })
  orderId: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
