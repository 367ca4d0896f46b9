import type { EntityManager } from '../../db/orm';
import { License, LicenseStatus, OutboxEvent, type RefundedLine } from '../../entities';
import { newId } from '../../entities/columns';
import { transition } from '../state/transition';

/** Why licenses are revoked: a settled refund (its id) or a cancellation. */
export type RevocationCause = { refundId: string } | { cancelled: true };

async function revoke(
  tx: EntityManager,
  licenses: readonly Pick<License, 'id' | 'orderId' | 'orderLineId' | 'unitIndex'>[],
  cause: RevocationCause,
  now: Date,
): Promise<number> {
  if (licenses.length === 0) return 0;
  const refundId = 'refundId' in cause ? cause.refundId : null;
  const ids = licenses.map((l) => l.id);
  const moved = await transition(tx, License, ids, LicenseStatus.ACTIVE, LicenseStatus.REVOKED, { revokedAt: now, revokedByRefundId: refundId });
  if (moved !== ids.length) throw new Error(`revoking licenses of order ${licenses[0].orderId}: ${moved} of ${ids.length} moved under the order lock`);
  await tx.insertMany(
    OutboxEvent,
    licenses.map((license) => ({
      id: newId(),
      type: 'license.revoked',
      aggregateId: license.orderId,
      payload: {
        licenseId: license.id,
        orderId: license.orderId,
        orderLineId: license.orderLineId,
        unitIndex: license.unitIndex,
        refundId,
        reason: refundId ? 'refund' : 'cancelled',
      },
      createdAt: now,
      nextAttemptAt: now,
      attempts: 0,
    })),
  );
  return moved;
}

const activeOf = (tx: EntityManager, where: Record<string, unknown>) =>
  tx.find(License, { ...where, status: LicenseStatus.ACTIVE }, { orderBy: { unitIndex: 'desc' }, refresh: true });

/**
 * Every ACTIVE license of the order REVOKED (a full refund, a cancellation),
 * with `license.revoked` events. Revoking again finds none and changes nothing.
 * The caller holds the order row lock.
 */
export async function revokeOrderLicenses(tx: EntityManager, order: { id: string; digitalUnits: number }, cause: RevocationCause, now: Date): Promise<number> {
  if (order.digitalUnits <= 0) return 0;
  return revoke(tx, await activeOf(tx, { orderId: order.id }), cause, now);
}

/**
 * The refunded units of each named line, newest first (highest unit index
 * first): `quantity` of the line's still ACTIVE licenses are REVOKED. Lines
 * without licenses (physical ones) revoke nothing. The caller holds the order
 * row lock; a unit already revoked is not revoked again.
 */
export async function revokeRefundedUnits(
  tx: EntityManager,
  order: { id: string; digitalUnits: number },
  lines: readonly RefundedLine[],
  refundId: string,
  now: Date,
): Promise<number> {
  if (order.digitalUnits <= 0 || lines.length === 0) return 0;
  const active = await activeOf(tx, { orderId: order.id, orderLineId: { $in: lines.map((l) => l.orderLineId) } });
  const chosen = lines.flatMap((line) => active.filter((l) => l.orderLineId === line.orderLineId).slice(0, line.quantity));
  return revoke(tx, chosen, { refundId }, now);
}
