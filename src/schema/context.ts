import type { Config } from '../config';
import type { EntityManager } from '../db/orm';
import type { RequestSession, Session } from '../db/request-session';
import type { AppDeps } from '../services/app-deps';
import { TokenStandingService } from '../services/auth/token-standing.service';
import type { Viewer } from '../services/auth/tokens';
import type { AuthenticatedPartner } from '../services/partners/partner-authentication';

/**
 * The caller named by an `Authorization: Bearer <token>` header, or null when
 * there is none or it is not (or no longer) valid: a bad token is the same as
 * no token, so `me` answers null and protected fields UNAUTHENTICATED.
 */
export async function viewerFor(deps: AppDeps, session: Session, authorization: string | undefined): Promise<Viewer | null> {
  const header = authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  return token ? new TokenStandingService(session, deps).authenticate(token) : null;
}

/**
 * Per-request context: the request's session (its EntityManager forked only
 * when something loads an entity), the caller, and per-request DataLoaders.
 * Loaders are created lazily from their factory, so each area owns its
 * loaders without a central registry.
 */
export class GraphQLContext {
  private loaderCache = new Map<(ctx: GraphQLContext) => unknown, unknown>();
  private ownSession: RequestSession;
  /** Set for a batched HTTP request (several operations in one body): see isolateForOperation. */
  inBatch = false;

  constructor(
    readonly deps: AppDeps,
    session: RequestSession,
    readonly viewer: Viewer | null,
    /** The partner whose X-Api-Key came with the request (src/http/partner-keys.ts); null for an ordinary client. */
    readonly partner: AuthenticatedPartner | null,
  ) {
    this.ownSession = session;
  }

  /** The request's own EntityManager, forked now if it has none yet: for resolvers that load or write entities. */
  get em(): EntityManager {
    return this.ownSession.em;
  }

  /** For services that run the stores' statements and fork a manager only if they load an entity. */
  get session(): RequestSession {
    return this.ownSession;
  }

  /**
   * Apollo runs the operations of a batched request at once, each on a shallow
   * copy of this context. Each copy takes a session and loaders of its own, or
   * two operations would share one unit of work and write through each other.
   */
  isolateForOperation(): void {
    this.ownSession = this.ownSession.another();
    this.loaderCache = new Map();
  }

  get config(): Config {
    return this.deps.config;
  }

  loader<T>(factory: (ctx: GraphQLContext) => T): T {
    let loader = this.loaderCache.get(factory) as T | undefined;
    if (!loader) {
      loader = factory(this);
      this.loaderCache.set(factory, loader);
    }
    return loader;
  }
}
