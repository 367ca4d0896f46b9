import type { EntityManager } from '../../db/orm';
import type { CustomerAccess } from '../../db/stores/auth-store';
import type { AppDeps } from '../app-deps';
import { isId } from '../shared/ids';
import type { Viewer } from './tokens';

/**
 * Bearer sessions: who a token names now, and the end of every session a
 * customer has. A token is only as good as the customer's current token
 * version and role, which the process keeps in its access cache
 * (access-cache.ts) while it is told of every change; otherwise, and the first
 * time a customer is seen, they are read from the database.
 */
export class SessionService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'tokens' | 'db' | 'stores' | 'access'>,
  ) {}

  /**
   * The caller behind a bearer token, or null. The signature and expiry are
   * checked first, then the customer's current token version and role, so a
   * revoked token fails in every gateway process and a changed role counts
   * from the next request.
   */
  async authenticate(token: string): Promise<Viewer | null> {
    const claims = await this.deps.tokens.verify(token);
    if (!claims || !isId(claims.customerId)) return null;
    const current = await this.currentAccess(claims.customerId, claims.tokenVersion);
    if (!current || current.tokenVersion !== claims.tokenVersion) return null;
    return { customerId: claims.customerId, role: current.role };
  }

  /** Every token issued to the customer so far stops working. False when there is no such customer. */
  async revokeTokens(customerId: string): Promise<boolean> {
    if (!isId(customerId)) return false;
    const revoked = await this.deps.stores.auth.revokeTokens(this.deps.db.unitOfWork(this.em), customerId);
    if (revoked) this.deps.access.changed(customerId);
    return revoked;
  }

  /**
   * From the cache when it holds the customer at the token's version or later
   * (versions only rise, so an older token is refused as it is). A token newer
   * than the cached version means a change has not reached the cache: the
   * database decides.
   */
  private async currentAccess(customerId: string, tokenVersion: number): Promise<CustomerAccess | null> {
    const cached = this.deps.access.find(customerId);
    if (cached && cached.tokenVersion >= tokenVersion) return cached;
    const mark = this.deps.access.markRead();
    const read = await this.deps.stores.auth.access(this.deps.db.unitOfWork(this.em), customerId);
    if (read) this.deps.access.keep(customerId, read, mark);
    return read;
  }
}
