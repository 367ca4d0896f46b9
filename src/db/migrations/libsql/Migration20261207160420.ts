import { Migration } from '@mikro-orm/migrations';

/**
 * Reservations record the client whose startCheckout took them (held_by:
 * `customer:<id>` or `address:<HMAC>`), so the units a client holds across its
 * open checkouts can be counted and capped; rows written before hold none.
 */
export class Migration20261207160420 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`reservations\` add column \`held_by\` text null;`);
    this.addSql(`create index \`reservations_held_by_status_expires_at_index\` on \`reservations\` (\`held_by\`, \`status\`, \`expires_at\`);`);
  }

}
