import { pickDue, type ClaimWithLease } from '../shared/lease-claim';

/** libSQL has a single writer: the statement runs whole under its write lock, so no row is claimed twice. */
export const claimWithLeaseLibsql: ClaimWithLease = (sql, claim) =>
  sql.rows(`update ${claim.table} set ${claim.lease} where id in (${pickDue(claim)}) returning *`, [...claim.leaseParams, ...claim.dueParams]);
