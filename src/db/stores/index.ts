import type { Database } from '../database';
import { LibsqlOperationsStore } from './libsql/operations-store.libsql';
import { LibsqlOutboxStore } from './libsql/outbox-store.libsql';
import { LibsqlPayoutStore } from './libsql/payout-store.libsql';
import { MemoryRateLimitStore } from './libsql/rate-limit-store.libsql';
import { LibsqlSagaStore } from './libsql/saga-store.libsql';
import { LibsqlWorkStore } from './libsql/work-store.libsql';
import type { OperationsStore } from './operations-store';
import type { OutboxStore } from './outbox-store';
import { SqlPartnerStore, type PartnerStore } from './partner-store';
import type { PayoutStore } from './payout-store';
import { PgOperationsStore } from './postgres/operations-store.pg';
import { PgOutboxStore } from './postgres/outbox-store.pg';
import { PgPayoutStore } from './postgres/payout-store.pg';
import { PgRateLimitStore } from './postgres/rate-limit-store.pg';
import { PgSagaStore } from './postgres/saga-store.pg';
import { PgWorkStore } from './postgres/work-store.pg';
import type { RateLimitStore } from './rate-limit-store';
import type { SagaStore } from './saga-store';
import type { WorkStore } from './work-store';

/**
 * Every statement the services need, one store per aggregate, each an
 * interface in domain words with one implementation per dialect. The dialect
 * is chosen here, once; a service never asks which database it runs on.
 */
export interface Stores {
  readonly db: Database;
  readonly outbox: OutboxStore;
  readonly payouts: PayoutStore;
  readonly sagas: SagaStore;
  /** The background workers' due checks and retention deletes. */
  readonly work: WorkStore;
  /** The rate limits' counters: a table shared by every process on PostgreSQL, process memory on the embedded file. */
  readonly rateLimits: RateLimitStore;
  readonly operations: OperationsStore;
  readonly partners: PartnerStore;
}

export function createStores(db: Database): Stores {
  const pg = db.dialect === 'postgresql';
  return {
    db,
    outbox: pg ? new PgOutboxStore(db) : new LibsqlOutboxStore(db),
    payouts: pg ? new PgPayoutStore() : new LibsqlPayoutStore(),
    sagas: pg ? new PgSagaStore() : new LibsqlSagaStore(),
    work: pg ? new PgWorkStore(db) : new LibsqlWorkStore(db),
    rateLimits: pg ? new PgRateLimitStore(db) : new MemoryRateLimitStore(),
    operations: pg ? new PgOperationsStore() : new LibsqlOperationsStore(),
    partners: new SqlPartnerStore(),
  };
}
