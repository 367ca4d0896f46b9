import { pickDue, type ClaimWithLease } from '../shared/lease-claim';

/**
 * The rows are picked `for update skip locked`, so concurrent workers in
 * other processes take disjoint rows and never wait for each other; a row
 * another claimer committed meanwhile is re-checked against the predicate and
 * dropped. The batch is picked once, in a CTE: as an `in (subquery)` the
 * planner may run a locking LIMIT subquery more than once and claim more rows
 * than the limit.
 */
export const claimWithLeasePg: ClaimWithLease = (sql, claim) =>
  sql.rows(
    `with picked as (${pickDue(claim)} for update skip locked) update ${claim.table} set ${claim.lease} from picked` +
      ` where ${claim.table}.id = picked.id returning ${claim.table}.*`,
    [...claim.dueParams, ...claim.leaseParams],
  );
