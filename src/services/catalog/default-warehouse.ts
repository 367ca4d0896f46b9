import type { EntityManager } from '../../db/orm';
import { Warehouse } from '../../entities';

/**
 * The default warehouse has a fixed id, so two processes creating it lazily at the
 * same moment insert the same primary key: one insert wins, the other is ignored,
 * and both read the same row. No count-then-insert, no second "default".
 */
export const DEFAULT_WAREHOUSE_ID = '00000000-0000-4000-8000-000000000001';

export async function ensureDefaultWarehouse(em: EntityManager): Promise<Warehouse> {
  const existing = await em.findOne(Warehouse, { id: DEFAULT_WAREHOUSE_ID });
  if (existing) return existing;
  // On a conflict the ORM reads the row back: the winner's, identical by construction.
  return em.upsert(
    Warehouse,
    { id: DEFAULT_WAREHOUSE_ID, name: 'Default warehouse', isDefault: true },
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
}
