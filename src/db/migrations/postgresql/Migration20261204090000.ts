import { Migration } from '@mikro-orm/migrations';

/**
 * An index on the rate limits' window ends, so the sweep worker's due check
 * (asked every worker tick) and its batch delete are index range probes
 * instead of scans of a table that holds a row per client address
 * (src/db/stores/postgres/rate-limit-store.pg.ts). Adding to a live window leaves `expire`
 * alone, so those updates can stay heap-only.
 */
export class Migration20261204090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "rate_limits_expire_index" on "rate_limits" ("expire");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "rate_limits_expire_index";`);
  }

}
