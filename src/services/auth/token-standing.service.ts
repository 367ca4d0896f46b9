import type { EntityManager } from '../../db/orm';
import type { AppDeps } from '../app-deps';
import { isId } from '../shared/ids';
import type { Viewer } from './tokens';

/**
 * Whether a bearer token still stands, and taking that standing away. A token
 * carries its account's token version; moving the version on revokes every
 * token signed before, in every gateway process at once, with nothing cached.
 */
export class TokenStandingService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'tokens' | 'db' | 'stores'>,
  ) {}

  /**
   * The caller behind a bearer token, or null. The signature and expiry are
   * checked first, then the customer's current token version and role, so a
   * revoked token fails at once and a changed role counts from the next
   * request. One primary-key read per signed-in request.
   */
  async authenticate(token: string): Promise<Viewer | null> {
    const claims = await this.deps.tokens.verify(token);
    if (!claims || !isId(claims.customerId)) return null;
    const current = await this.deps.stores.customers.tokenStanding(this.deps.db.unitOfWork(this.em), claims.customerId);
    if (!current || current.tokenVersion !== claims.tokenVersion) return null;
    return { customerId: claims.customerId, role: current.role };
  }

  /** Every token issued to the customer so far stops working. False when there is no such customer. */
  async revokeTokens(customerId: string): Promise<boolean> {
    if (!isId(customerId)) return false;
    return this.deps.stores.customers.revokeTokens(this.deps.db.unitOfWork(this.em), customerId);
  }
}
