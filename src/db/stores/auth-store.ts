import type { Role } from '../../entities';
import { intOf } from '../sql/row-values';
import type { UnitOfWork } from '../unit-of-work';

/** What a bearer token is checked against: the customer's role and token version now. */
export interface CustomerAccess {
  role: Role;
  tokenVersion: number;
}

/**
 * Customers' access: the read a bearer token is checked against, and the
 * revocation of every token issued so far. On PostgreSQL a change of a
 * customer's role or token version (by these statements or any other) is
 * announced on the CUSTOMER_ACCESS_CHANNEL at commit by the customers table's
 * trigger (src/db/access-changes.ts).
 */
export interface AuthStore {
  /** The customer's role and token version; null when no customer has this id. One primary-key read. */
  access(uow: UnitOfWork, customerId: string): Promise<CustomerAccess | null>;
  /** Raises the customer's token version by one, so every token issued before fails; false when no customer has this id. One statement. */
  revokeTokens(uow: UnitOfWork, customerId: string): Promise<boolean>;
}

/** Both dialects run the same statements. */
export class SqlAuthStore implements AuthStore {
  async access(uow: UnitOfWork, customerId: string): Promise<CustomerAccess | null> {
    const [row] = await uow.sql.rows<{ role: Role; token_version: unknown }>('select role, token_version from customers where id = ?', [customerId]);
    return row ? { role: row.role, tokenVersion: intOf(row.token_version) } : null;
  }

  async revokeTokens(uow: UnitOfWork, customerId: string): Promise<boolean> {
    return (await uow.sql.write('update customers set token_version = token_version + 1 where id = ?', [customerId])) > 0;
  }
}
