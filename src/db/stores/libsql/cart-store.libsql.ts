import type { Database } from '../../database';
import { libsqlJson } from '../../sql/json-sql';
import type { UnitOfWork } from '../../unit-of-work';
import type { LineWrite } from '../cart-store';
import { abandonedCarts, CartStoreBase, lineWriteStatement, type Statement } from '../shared/cart-store.base';

/** The cart store on libSQL: one writer at a time, so no row locks; no data-modifying CTEs. */
export class LibsqlCartStore extends CartStoreBase {
  constructor(private readonly db: Database) {
    super(libsqlJson);
  }

  /** Write transactions are serialized already: there is no row to lock, only the cart to exist, which the read then tells. */
  async lock(): Promise<boolean> {
    return true;
  }

  /** The claim, then the line writes only if it applied, in one short transaction (the single writer keeps it short for everyone). */
  protected claimWithLines(uow: UnitOfWork, claim: Statement, lines: readonly LineWrite[]): Promise<boolean> {
    return this.db.transaction(uow.session, async (tx) => {
      if ((await tx.sql.write(claim.sql, claim.params)) !== 1) return false;
      for (const line of lines) {
        const write = lineWriteStatement(line);
        await tx.sql.write(write.sql, write.params);
      }
      return true;
    });
  }

  /**
   * The whole statement runs under the one write lock. It is not written with
   * a CTE: libSQL runs a statement that starts with WITH as a read, which
   * answers no changed-row count.
   */
  deleteAbandoned(uow: UnitOfWork, cutoff: Date, limit: number): Promise<number> {
    const { pick, recheck, params } = abandonedCarts(limit);
    return uow.sql.write(`delete from carts where id in (${pick}) and ${recheck}`, params(uow.sql.time(cutoff)));
  }
}
