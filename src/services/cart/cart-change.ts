import type { EntityManager } from '../../db/orm';
import { CartStatus } from '../../entities';
import { abortWith, FailureSignal, success, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { canAccessSnapshot, cartClosed, cartNotFound, type CartActor } from './cart-access';
import { readCartSnapshot, type CartSnapshot, type SnapshotExtras } from './cart-snapshot';
import { runWrite } from '../shared/sql-rows';
import { writeClaimed, type RecordedWrites } from './cart-guarded-write';
import { runLineWrite, updateCartColumns, type LineWrite } from './cart-writes';

/** Whose cart change this is, on which EntityManager: a cart that is not the actor's is NOT_FOUND. */
export interface CartChangeScope {
  em: EntityManager;
  actor: CartActor;
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
  /**
   * The claim also moves `next_line_position` on by one, and the snapshot the
   * change sees already counts it: a new line takes `nextLinePosition - 1`
   * without a second cart update. A merge leaves that number unused.
   */
  reservesPosition?: boolean;
  /** Look-ups the change needs (the variant being added, its stock ...), read with the cart in one statement. */
  extras?: SnapshotExtras;
  /**
   * The change only reads through `tx`, writes only through `write`, and shows
   * the presets' effect in the cart it answers. Then it may run with no
   * transaction held while it decides (see changeOpenCart).
   */
  optimistic?: boolean;
}

/** How a change writes: line writes and cart columns, applied in the claim's transaction or composed into one guarded statement. */
export interface CartWriter {
  line(write: LineWrite): Promise<void>;
  /** Cart columns set from what was read. Column names are the caller's constants. */
  columns(values: Record<string, unknown>): Promise<void>;
}

export interface CartChangeContext {
  tx: EntityManager;
  /** The open cart as it will be once claimed: version bumped, position reserved, presets applied by the database. */
  snapshot: CartSnapshot;
  /** The raw row of the read, for the plan's extras. */
  row: Record<string, unknown>;
  write: CartWriter;
}

/** Writes what changed through `write` and returns the cart as it now is. */
type CartChange = (context: CartChangeContext) => Promise<CartSnapshot | typeof UNCHANGED>;

/**
 * The one shape of every cart mutation. Two ways to run it, same answers:
 *
 * Optimistic (plans marked `optimistic`): read the cart and the plan's
 * look-ups in one statement, decide in memory, then write with the claim
 * `update carts set version = version + 1 … where id = ? and version = <read>`
 * (cart-guarded-write.ts): on PostgreSQL everything in that one statement, the
 * line writes guarded on the claim; on libSQL a change of cart columns alone
 * is that one statement, and line writes follow the claim in a short
 * transaction. No row held while deciding. When the claim finds another
 * version (someone changed the cart in between), nothing was written and the
 * change runs again the locking way below, which queues instead.
 *
 * Locking (every plan that writes more than a cart change, and a contended optimistic one):
 * 1. Claim: `update carts set version = version + 1, ...presets where id = ?`.
 *    On PostgreSQL that update takes the cart's row lock, so concurrent changes
 *    to one cart queue here and none is lost; libSQL serializes writers anyway.
 * 2. Read: the cart, lines, catalog facts, pricing inputs and the plan's
 *    look-ups in one statement. It starts after the claim, so under READ
 *    COMMITTED it sees whatever a change committed while this one waited.
 * 3. Decide in memory and write only what changed; the answer is built from memory.
 *
 * A business failure, a cart that is not the actor's, or a change with nothing
 * to do writes nothing (the locking way rolls its claim back).
 */
export async function changeOpenCart(deps: CartChangeScope, cartId: string, plan: CartChangePlan, change: CartChange): Promise<Outcome<CartSnapshot>> {
  if (plan.optimistic) {
    const outcome = await changeIfUnchanged(deps, cartId, plan, change);
    if (outcome !== CONTENDED) return outcome;
  }
  return changeUnderClaim(deps, cartId, plan, change);
}

const CONTENDED = Symbol('contended');

async function changeIfUnchanged(
  deps: CartChangeScope, cartId: string, plan: CartChangePlan, change: CartChange,
): Promise<Outcome<CartSnapshot> | typeof CONTENDED> {
  const em = deps.em;
  const read = await readCartSnapshot(em, cartId, plan.extras);
  if (!read || !canAccessSnapshot(read.snapshot, deps.actor)) return { ok: false, failure: cartNotFound() };
  if (read.snapshot.status !== CartStatus.OPEN) return { ok: false, failure: cartClosed() };
  const recorded: RecordedWrites = { lines: [], columns: {} };
  const write: CartWriter = {
    line: async (lineWrite) => void recorded.lines.push(lineWrite),
    columns: async (values) => void Object.assign(recorded.columns, values),
  };
  const snapshot = asClaimed(read.snapshot, plan);
  let changed: CartSnapshot | typeof UNCHANGED;
  try {
    changed = await change({ tx: em, snapshot, row: read.row, write });
  } catch (error) {
    if (error instanceof FailureSignal) return { ok: false, failure: error.failure };
    throw error;
  }
  if (changed === UNCHANGED) return success(read.snapshot);
  const claimed = await writeClaimed(em, { cartId, version: read.snapshot.version, now: plan.now, claimSets: claimSets(plan) }, recorded);
  return claimed ? success(changed) : CONTENDED;
}

/** The read cart as the claim will leave it: what the locking way's read-after-claim shows. */
function asClaimed(read: CartSnapshot, plan: CartChangePlan): CartSnapshot {
  return { ...read, version: read.version + 1, updatedAt: plan.now, nextLinePosition: read.nextLinePosition + (plan.reservesPosition ? 1 : 0) };
}

/** The claim's own assignments besides version and updated_at. */
function claimSets(plan: CartChangePlan): CartPreset[] {
  return [...(plan.reservesPosition ? [{ sql: 'next_line_position = next_line_position + 1', params: [] }] : []), ...(plan.presets ?? [])];
}

async function changeUnderClaim(deps: CartChangeScope, cartId: string, plan: CartChangePlan, change: CartChange): Promise<Outcome<CartSnapshot>> {
  try {
    return await transactionalOutcome(deps.em, async (tx) => {
      if (!(await claimCart(tx, cartId, plan))) return abortWith(cartNotFound());
      const read = await readCartSnapshot(tx, cartId, plan.extras);
      if (!read || !canAccessSnapshot(read.snapshot, deps.actor)) return abortWith(cartNotFound());
      if (read.snapshot.status !== CartStatus.OPEN) return abortWith(cartClosed());
      const write: CartWriter = {
        line: (lineWrite) => runLineWrite(tx, lineWrite),
        columns: (values) => updateCartColumns(tx, cartId, values),
      };
      const changed = await change({ tx, snapshot: read.snapshot, row: read.row, write });
      if (changed === UNCHANGED) throw new NothingToWrite(read.snapshot);
      return changed;
    });
  } catch (error) {
    if (error instanceof NothingToWrite) return success(error.committed);
    throw error;
  }
}

async function claimCart(tx: EntityManager, cartId: string, plan: CartChangePlan): Promise<boolean> {
  const presets = claimSets(plan);
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
