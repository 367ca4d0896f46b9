import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox dead letters: each event gets a status (PENDING, DELIVERED, DEAD), and
 * the relay claims by (status, next_attempt_at). Rows written before keep their
 * meaning: a one-time backfill marks the delivered ones DELIVERED, the rest start PENDING.
 */
export class Migration20261202164828 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index "outbox_events_delivered_at_next_attempt_at_index";`);

    this.addSql(`alter table "outbox_events" add column "status" varchar(16) not null default 'PENDING';`);
    this.addSql(`update "outbox_events" set "status" = 'DELIVERED' where "delivered_at" is not null;`);
    this.addSql(`create index "outbox_events_status_next_attempt_at_index" on "outbox_events" ("status", "next_attempt_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "outbox_events_status_next_attempt_at_index";`);
    this.addSql(`alter table "outbox_events" drop column "status";`);

    this.addSql(`create index "outbox_events_delivered_at_next_attempt_at_index" on "outbox_events" ("delivered_at", "next_attempt_at");`);
  }

}
