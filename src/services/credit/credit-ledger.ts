import type { EntityManager } from '../../db/orm';
import { CreditLedgerEntry } from '../../entities';
import { newId } from '../../entities/columns';

/**
 * The append-only store-credit ledger: a balance is the sum of its rows; grants,
 * spends and reversals are new rows, never edits. Each row has a unique entryKey
 * derived from what caused it, so writing the same effect twice is impossible.
 */
export const spendKey = (orderId: string) => `order:${orderId}:spend`;
export const reversalKey = (orderId: string) => `order:${orderId}:reversal`;

export interface LedgerEntryInput {
  customerId: string;
  currency: string;
  /** Signed minor units: grants positive, spends negative. */
  amount: number;
  reason: string;
  entryKey: string;
  orderId?: string | null;
  now: Date;
}

export async function appendLedgerEntry(tx: EntityManager, entry: LedgerEntryInput): Promise<void> {
  await tx.insert(CreditLedgerEntry, {
    id: newId(),
    customerId: entry.customerId,
    currency: entry.currency.toUpperCase(),
    amount: entry.amount,
    reason: entry.reason,
    entryKey: entry.entryKey,
    orderId: entry.orderId ?? null,
    createdAt: entry.now,
  });
}

/** Debits `amount` of credit for an order (the caller has locked and checked the balance). */
export async function spendCredit(
  tx: EntityManager,
  spend: { customerId: string; currency: string; amount: number; orderId: string; now: Date },
): Promise<void> {
  if (spend.amount <= 0) return;
  await appendLedgerEntry(tx, {
    customerId: spend.customerId,
    currency: spend.currency,
    amount: -spend.amount,
    reason: `order:${spend.orderId}`,
    entryKey: spendKey(spend.orderId),
    orderId: spend.orderId,
    now: spend.now,
  });
}

/**
 * Gives back what an order spent, as a new row. A no-op when the order spent
 * nothing or was already reversed, so compensations and cancellations may both
 * call it. Returns the amount given back by this call.
 */
export async function reverseOrderSpend(tx: EntityManager, orderId: string, now: Date): Promise<number> {
  const entries = await tx.find(CreditLedgerEntry, { entryKey: { $in: [spendKey(orderId), reversalKey(orderId)] } });
  const spend = entries.find((e) => e.entryKey === spendKey(orderId));
  if (!spend || entries.some((e) => e.entryKey === reversalKey(orderId))) return 0;
  await appendLedgerEntry(tx, {
    customerId: spend.customerId,
    currency: spend.currency,
    amount: -spend.amount,
    reason: `order:${orderId}:reversal`,
    entryKey: reversalKey(orderId),
    orderId,
    now,
  });
  return -spend.amount;
}
