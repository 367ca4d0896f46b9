import { Migration } from '@mikro-orm/migrations';

/**
 * The table the rate limits count in on PostgreSQL, shared by every gateway
 * process (src/http/rate-limits/counters.ts). Its shape is rate-limiter-flexible's
 * own (RateLimiterPostgres: key, points, expire in epoch milliseconds); it has
 * no entity, so the ORM's schema diff skips it (orm.ts RATE_LIMIT_TABLE).
 * Unlogged: a counter is not worth a WAL write and fsync on every guarded
 * mutation, and after a crash the limits start afresh, which is harmless.
 * Only PostgreSQL has it; the embedded libSQL default counts in memory.
 */
export class Migration20261202153000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create unlogged table "rate_limits" ("key" varchar(255) not null, "points" integer not null default 0, "expire" bigint null, constraint "rate_limits_pkey" primary key ("key"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rate_limits";`);
  }

}
