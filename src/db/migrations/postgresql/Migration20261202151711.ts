import { Migration } from '@mikro-orm/migrations';

/** The cart-cleanup worker's due check and batch deletes read these ranges, not whole tables. */
export class Migration20261202151711 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "carts_status_updated_at_index" on "carts" ("status", "updated_at");`);
    this.addSql(`create index "reservations_status_expires_at_index" on "reservations" ("status", "expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "carts_status_updated_at_index";`);
    this.addSql(`drop index "reservations_status_expires_at_index";`);
  }

}
