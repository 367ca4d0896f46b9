import type { Role } from '../../entities';
import { intOf } from '../sql/row-values';
import type { UnitOfWork } from '../unit-of-work';

/** What a bearer token is checked against on every signed-in request. */
export interface TokenStanding {
  role: Role;
  /** Tokens signed with an older version are revoked. */
  tokenVersion: number;
}

/**
 * Customer accounts, where a statement is more than the ORM's entity reads and writes.
 * On PostgreSQL a change of an account's role or token version, by these statements or any
 * other, is announced at commit by the customers table's trigger (src/db/access-changes.ts).
 */
export interface CustomerStore {
  /** The account's role and token version, or null when there is no such account: one primary-key read, no entity hydrated. */
  tokenStanding(uow: UnitOfWork, customerId: string): Promise<TokenStanding | null>;
  /** Moves the token version one up in one statement (no read first), so every token issued so far stops working; false when there is no such account. */
  revokeTokens(uow: UnitOfWork, customerId: string): Promise<boolean>;
}

/** The same statements on both dialects. */
export class SqlCustomerStore implements CustomerStore {
  async tokenStanding(uow: UnitOfWork, customerId: string): Promise<TokenStanding | null> {
    const [row] = await uow.sql.rows<{ role: string; token_version: unknown }>('select role, token_version from customers where id = ?', [customerId]);
    return row ? { role: row.role as Role, tokenVersion: intOf(row.token_version) } : null;
  }

  async revokeTokens(uow: UnitOfWork, customerId: string): Promise<boolean> {
    return (await uow.sql.write('update customers set token_version = token_version + 1 where id = ?', [customerId])) > 0;
  }
}
