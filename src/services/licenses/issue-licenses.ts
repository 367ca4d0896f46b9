import type { EntityManager } from '../../db/orm';
import type { Stores } from '../../db/stores';
import type { UnitOfWork } from '../../db/unit-of-work';
import { LicenseStatus, OrderLine, OutboxEvent, VariantKind } from '../../entities';
import { newId } from '../../entities/columns';
import { logger } from '../shared/logger';
import { newLicenseKey } from './license-keys';

/** A DIGITAL order line, as placement knows it. */
export interface DigitalLine {
  id: string;
  variantId: string;
  quantity: number;
}

export interface LicensedOrder {
  id: string;
  customerId: string | null;
  /** Units on DIGITAL lines; 0 = nothing to issue, and no statement is run. */
  digitalUnits: number;
}

/** The order's DIGITAL lines, read when the placing caller does not hold them (a webhook, a recovery). */
export async function digitalLinesOf(tx: EntityManager, orderId: string): Promise<DigitalLine[]> {
  const lines = await tx.find(
    OrderLine,
    { order: orderId, kind: VariantKind.DIGITAL },
    { fields: ['id', 'variantId', 'quantity'], orderBy: { position: 'asc' } },
  );
  return lines.map((l) => ({ id: l.id, variantId: l.variantId, quantity: l.quantity }));
}

/**
 * One license per unit of the order's DIGITAL lines, in the transaction that
 * places the order: one multi-row insert (a (order line, unit) pair already
 * licensed is skipped, so a second run can never add a second license) and
 * one multi-row insert of their `license.issued` events. Only licenses this
 * run inserted are announced.
 */
export async function issueLicenses(
  uow: UnitOfWork,
  { licenses }: Pick<Stores, 'licenses'>,
  order: LicensedOrder,
  lines: readonly DigitalLine[],
  now: Date,
): Promise<number> {
  const rows = lines.flatMap((line) =>
    Array.from({ length: line.quantity }, (_, unitIndex) => ({
      id: newId(),
      key: newLicenseKey(),
      orderId: order.id,
      orderLineId: line.id,
      unitIndex,
      variantId: line.variantId,
      customerId: order.customerId,
      status: LicenseStatus.ACTIVE,
      issuedAt: now,
    })),
  );
  if (rows.length === 0) return 0;
  const inserted = await licenses.issue(uow, rows);
  if (inserted !== rows.length) {
    // Placement runs once per order (a guarded status move), so this is a replay that found them issued.
    logger.warn('licenses.already_issued', { orderId: order.id, expected: rows.length, inserted });
    return 0;
  }
  await uow.em.insertMany(
    OutboxEvent,
    rows.map((license) => ({
      id: newId(),
      type: 'license.issued',
      aggregateId: order.id,
      payload: { licenseId: license.id, orderId: order.id, orderLineId: license.orderLineId, unitIndex: license.unitIndex, variantId: license.variantId },
      createdAt: now,
      nextAttemptAt: now,
      attempts: 0,
    })),
  );
  return inserted;
}
