import type { Session } from '../../db/request-session';
import type { TokenStanding } from '../../db/stores/customer-store';
import type { AppDeps } from '../app-deps';
import { isId } from '../shared/ids';
import type { Viewer } from './tokens';

/**
 * Whether a bearer token still stands, and taking that standing away. A token
 * carries its account's token version; moving the version on revokes every
 * token signed before. The process keeps accounts' standing in its access
 * cache (access-cache.ts) while every change reaches it; otherwise, and the
 * first time it sees an account, it reads the standing from the database.
 */
export class TokenStandingService {
  constructor(
    private readonly session: Session,
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
    const current = await this.standing(claims.customerId, claims.tokenVersion);
    if (!current || current.tokenVersion !== claims.tokenVersion) return null;
    return { customerId: claims.customerId, role: current.role };
  }

  /** Every token issued to the customer so far stops working. False when there is no such customer. */
  async revokeTokens(customerId: string): Promise<boolean> {
    if (!isId(customerId)) return false;
    const revoked = await this.deps.stores.customers.revokeTokens(this.deps.db.unitOfWork(this.session), customerId);
    if (revoked) this.deps.access.changed(customerId);
    return revoked;
  }

  /**
   * From the cache when it holds the account at the token's version or later
   * (versions only rise, so an older token is refused as it is). A token newer
   * than the cached version means a change has not reached the cache yet: the
   * database decides.
   */
  private async standing(customerId: string, tokenVersion: number): Promise<TokenStanding | null> {
    const cached = this.deps.access.find(customerId);
    if (cached && cached.tokenVersion >= tokenVersion) return cached;
    const mark = this.deps.access.markRead();
    const read = await this.deps.stores.customers.tokenStanding(this.deps.db.unitOfWork(this.session), customerId);
    if (read) this.deps.access.keep(customerId, read, mark);
    return read;
  }
}
