import type { Config } from '../../config';
import type { EntityManager } from '../../db/orm';
import { CartStatus } from '../../entities';
import type { Clock } from '../shared/clock';
import { abortWith, success, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { canAccessSnapshot, cartClosed, cartNotFound, type CartActor } from './cart-access';
import { readCartSnapshot, type CartSnapshot, type SnapshotExtras } from './cart-snapshot';
import { runWrite } from './cart-sql';

export interface CartServiceDeps {
  em: EntityManager;
  clock: Clock;
  actor: CartActor;
  /** The cart limits: how many units of one variant a cart may hold (line-caps.ts). */
  config: Pick<Config, 'maxReservedUnitsPerLine'>;
}

/** A change may find there is nothing to do (e.g. a voucher already on the cart); then nothing is written. */
export const UNCHANGED = Symbol('unchanged');

/** A cart column the claiming update sets along with the version: `sql` is `column = <expression with ? params>`. */
export interface CartPreset {
  sql: string;
  params: unknown[];
}

export interface CartChangePlan {
  /** The business time of this change (updated_at, reservation expiry, validity windows). */
  now: Date;
  /** Cart columns the change sets whatever the cart holds, so they ride on the claiming update. */
  presets?: CartPreset[];
  /** Look-ups the change needs (the variant being added, its stock ...), read with the cart in one statement. */
  extras?: SnapshotExtras;
}

export interface CartChangeContext {
  tx: EntityManager;
  /** The open cart as committed, version already bumped, presets applied. */
  snapshot: CartSnapshot;
  /** The raw row of the read, for the plan's extras. */
  row: Record<string, unknown>;
}

/** Writes what changed (nothing for the cart row's version: that is done) and returns the cart as it now is. */
type CartChange = (context: CartChangeContext) => Promise<CartSnapshot | typeof UNCHANGED>;

/**
 * The one shape of every cart mutation, in one short transaction:
 *
 * 1. Claim: `update carts set version = version + 1, ...presets where id = ?`.
 *    On PostgreSQL that update takes the cart's row lock, so concurrent changes
 *    to one cart queue here and none is lost; libSQL serializes writers anyway.
 *    Claiming first is what lets a change of lines alone skip a separate lock
 *    statement and a separate version bump.
 * 2. Read: the cart, lines, catalog facts, pricing inputs and the plan's
 *    look-ups in one statement. It starts after the claim, so under READ
 *    COMMITTED it sees whatever a change committed while this one waited.
 * 3. Decide in memory (access, open, the change's own rules) and write only
 *    what changed; the answer is built from memory too.
 *
 * A business failure, a cart that is not the actor's, or a change with nothing
 * to do rolls the whole transaction back, claim included: nothing is written.
 */
export async function changeOpenCart(deps: CartServiceDeps, cartId: string, plan: CartChangePlan, change: CartChange): Promise<Outcome<CartSnapshot>> {
  try {
    return await transactionalOutcome(deps.em, async (tx) => {
      if (!(await claimCart(tx, cartId, plan))) return abortWith(cartNotFound());
      const read = await readCartSnapshot(tx, cartId, plan.extras);
      if (!read || !canAccessSnapshot(read.snapshot, deps.actor)) return abortWith(cartNotFound());
      if (read.snapshot.status !== CartStatus.OPEN) return abortWith(cartClosed());
      const changed = await change({ tx, snapshot: read.snapshot, row: read.row });
      if (changed === UNCHANGED) throw new NothingToWrite(read.snapshot);
      return changed;
    });
  } catch (error) {
    if (error instanceof NothingToWrite) return success(error.committed);
    throw error;
  }
}

async function claimCart(tx: EntityManager, cartId: string, plan: CartChangePlan): Promise<boolean> {
  const presets = plan.presets ?? [];
  const sets = ['version = version + 1', 'updated_at = ?', ...presets.map((preset) => preset.sql)].join(', ');
  const params = [plan.now, ...presets.flatMap((preset) => preset.params), cartId];
  return (await runWrite(tx, `update carts set ${sets} where id = ?`, params)) === 1;
}

/**
 * Rolls back a change that found nothing to do. The claim's bump goes with the
 * rollback, so the cart the caller gets back is the one read, one version down:
 * as it stands committed (but for updatedAt, which no answer shows). No change
 * that can end UNCHANGED sets presets.
 */
class NothingToWrite extends Error {
  override name = 'NothingToWrite';
  readonly committed: CartSnapshot;
  constructor(read: CartSnapshot) {
    super('nothing to write');
    this.committed = { ...read, version: read.version - 1 };
  }
}
