import type { Session } from '../../db/request-session';
import type { CartFields, CartLookupAnswers, CartLookups, LineWrite } from '../../db/stores/cart-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import { CartStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { abortWith, FailureSignal, success, type Outcome } from '../shared/outcome';
import { canAccessSnapshot, cartClosed, cartNotFound, type CartActor } from './cart-access';
import type { CartSnapshot } from './cart-snapshot';

/** Whose cart change this is, in which session: a cart that is not the actor's is NOT_FOUND. */
export interface CartChangeScope {
  session: Session;
  actor: CartActor;
  deps: Pick<AppDeps, 'db' | 'stores'>;
}

/** A change may find there is nothing to do (e.g. a voucher already on the cart); then nothing is written. */
export const UNCHANGED = Symbol('unchanged');

export interface CartChangePlan {
  /** The business time of this change (updated_at, reservation expiry, validity windows). */
  now: Date;
  /** Cart fields the change sets whatever the cart holds, so they ride on the claiming update. */
  presets?: CartFields;
  /**
   * The claim also moves the next line position on by one, and the snapshot
   * the change sees already counts it: a new line takes `nextLinePosition - 1`
   * without a second cart update. A merge leaves that number unused.
   */
  reservesPosition?: boolean;
  /** Look-ups the change needs (the variant being added, its stock ...), read with the cart in one statement. */
  lookups?: CartLookups;
  /**
   * The change only reads through `uow`, writes only through `write`, and
   * shows the presets' effect in the cart it answers. Then it may run with no
   * transaction held while it decides (see changeOpenCart).
   */
  optimistic?: boolean;
}

/** How a change writes: line writes and cart fields, applied in the claim's transaction or sent behind an optimistic claim. */
export interface CartWriter {
  line(write: LineWrite): Promise<void>;
  /** Cart fields set from what was read. */
  fields(values: CartFields): Promise<void>;
}

export interface CartChangeContext {
  uow: UnitOfWork;
  /** The open cart as it will be once claimed: version bumped, position reserved, presets applied by the database. */
  snapshot: CartSnapshot;
  /** The answers to the plan's look-ups. */
  found: CartLookupAnswers;
  write: CartWriter;
}

/** Writes what changed through `write` and returns the cart as it now is. */
type CartChange = (context: CartChangeContext) => Promise<CartSnapshot | typeof UNCHANGED>;

/**
 * The one shape of every cart mutation. Two ways to run it, same answers:
 *
 * Optimistic (plans marked `optimistic`): read the cart and the plan's
 * look-ups in one statement, decide in memory, then write behind a claim of
 * the version read (CartStore.claimIfUnchanged): on PostgreSQL the claim and
 * the line writes are one statement; on libSQL a change of cart fields alone
 * is that one statement, and line writes follow the claim in a short
 * transaction. No row held while deciding. When the claim finds another
 * version (someone changed the cart in between), nothing was written and the
 * change runs again the locking way below, which queues instead.
 *
 * Locking (every plan that writes more than a cart change, and a contended optimistic one):
 * 1. Claim (CartStore.claim): the version one up, the presets set. On
 *    PostgreSQL that update takes the cart's row lock, so concurrent changes
 *    to one cart queue here and none is lost; libSQL serializes writers anyway.
 * 2. Read: the cart, lines, catalog facts, pricing inputs and the plan's
 *    look-ups in one statement. It starts after the claim, so under READ
 *    COMMITTED it sees whatever a change committed while this one waited.
 * 3. Decide in memory and write only what changed; the answer is built from memory.
 *
 * A business failure, a cart that is not the actor's, or a change with nothing
 * to do writes nothing (the locking way rolls its claim back).
 */
export async function changeOpenCart(scope: CartChangeScope, cartId: string, plan: CartChangePlan, change: CartChange): Promise<Outcome<CartSnapshot>> {
  if (plan.optimistic) {
    const outcome = await changeIfUnchanged(scope, cartId, plan, change);
    if (outcome !== CONTENDED) return outcome;
  }
  return changeUnderClaim(scope, cartId, plan, change);
}

const CONTENDED = Symbol('contended');

async function changeIfUnchanged(
  scope: CartChangeScope,
  cartId: string,
  plan: CartChangePlan,
  change: CartChange,
): Promise<Outcome<CartSnapshot> | typeof CONTENDED> {
  const { carts } = scope.deps.stores;
  const uow = scope.deps.db.unitOfWork(scope.session);
  const read = await carts.read(uow, cartId, plan.lookups);
  if (!read || !canAccessSnapshot(read.snapshot, scope.actor)) return { ok: false, failure: cartNotFound() };
  if (read.snapshot.status !== CartStatus.OPEN) return { ok: false, failure: cartClosed() };
  const lines: LineWrite[] = [];
  const fields: CartFields = {};
  const write: CartWriter = {
    line: async (lineWrite) => void lines.push(lineWrite),
    fields: async (values) => void Object.assign(fields, values),
  };
  let changed: CartSnapshot | typeof UNCHANGED;
  try {
    changed = await change({ uow, snapshot: asClaimed(read.snapshot, plan), found: read.found, write });
  } catch (error) {
    if (error instanceof FailureSignal) return { ok: false, failure: error.failure };
    throw error;
  }
  if (changed === UNCHANGED) return success(read.snapshot);
  const claim = { cartId, version: read.snapshot.version, now: plan.now, reservesPosition: plan.reservesPosition, fields: { ...plan.presets, ...fields } };
  return (await carts.claimIfUnchanged(uow, claim, lines)) ? success(changed) : CONTENDED;
}

/** The read cart as the claim will leave it: what the locking way's read-after-claim shows. */
function asClaimed(read: CartSnapshot, plan: CartChangePlan): CartSnapshot {
  return { ...read, version: read.version + 1, updatedAt: plan.now, nextLinePosition: read.nextLinePosition + (plan.reservesPosition ? 1 : 0) };
}

async function changeUnderClaim(scope: CartChangeScope, cartId: string, plan: CartChangePlan, change: CartChange): Promise<Outcome<CartSnapshot>> {
  const { carts } = scope.deps.stores;
  try {
    return success(
      await scope.deps.db.transaction(scope.session, async (uow) => {
        const claimed = await carts.claim(uow, cartId, { now: plan.now, reservesPosition: plan.reservesPosition, fields: plan.presets });
        if (!claimed) return abortWith(cartNotFound());
        const read = await carts.read(uow, cartId, plan.lookups);
        if (!read || !canAccessSnapshot(read.snapshot, scope.actor)) return abortWith(cartNotFound());
        if (read.snapshot.status !== CartStatus.OPEN) return abortWith(cartClosed());
        const write: CartWriter = {
          line: (lineWrite) => carts.writeLine(uow, lineWrite),
          fields: (values) => carts.update(uow, cartId, values),
        };
        const changed = await change({ uow, snapshot: read.snapshot, found: read.found, write });
        if (changed === UNCHANGED) throw new NothingToWrite(read.snapshot);
        return changed;
      }),
    );
  } catch (error) {
    if (error instanceof NothingToWrite) return success(error.committed);
    if (error instanceof FailureSignal) return { ok: false, failure: error.failure };
    throw error;
  }
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
