import { Migration } from '@mikro-orm/migrations';

export class Migration20261202035050 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "orders" add column "payouts_planned_at" timestamptz null;`);
    // Orders the planner already handled (they have transfers) or that never pay sellers (not card) start marked;
    // the planner takes the rest from where it stands.
    this.addSql(`update "orders" set "payouts_planned_at" = "placed_at" where "placed_at" is not null and ("payment_kind" not in ('CARD', 'HOSTED_CHECKOUT') or exists (select 1 from "seller_transfers" t where t."order_id" = "orders"."id"));`);
    this.addSql(`create index "orders_payouts_planned_at_placed_at_id_index" on "orders" ("payouts_planned_at", "placed_at", "id");`);

    this.addSql(`create index "outbox_events_type_aggregate_id_index" on "outbox_events" ("type", "aggregate_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "orders_payouts_planned_at_placed_at_id_index";`);
    this.addSql(`alter table "orders" drop column "payouts_planned_at";`);

    this.addSql(`drop index "outbox_events_type_aggregate_id_index";`);
  }

}
