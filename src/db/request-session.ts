import type { EntityManager } from './orm';

/**
 * A request's EntityManager, forked the first time something asks for it. Most
 * storefront requests (cart changes, startCheckout) run only the stores'
 * statements and never load an entity, so they need no manager of their own:
 * their statements run on `statements`, the database's shared manager that
 * nothing loads entities into, and a transaction forks from it.
 */
export class RequestSession {
  private forked: EntityManager | null = null;

  constructor(
    /** The database's shared manager for statements alone (Database.session): never given an entity, never in a transaction. */
    private readonly shared: EntityManager,
  ) {}

  /** The request's own manager (identity map, entity loads and flushes), forked on first use. */
  get em(): EntityManager {
    return (this.forked ??= this.shared.fork());
  }

  /** Whether anything asked for the request's own manager yet. */
  get hasOwnManager(): boolean {
    return this.forked !== null;
  }

  /** Where a statement outside a transaction runs, and what a transaction forks from: no entity of the request's is needed there. */
  get statements(): EntityManager {
    return this.shared;
  }

  /** A session of its own for another operation of the same request (a batch): it shares nothing with this one. */
  another(): RequestSession {
    return new RequestSession(this.shared);
  }
}

/** What a service is given to reach the database: a manager it already holds (a job, a transaction), or a request's session. */
export type Session = EntityManager | RequestSession;

/** The manager statements outside a transaction run on, without forking one for a request that has none yet. */
export const statementsOf = (session: Session): EntityManager => (session instanceof RequestSession ? session.statements : session);
