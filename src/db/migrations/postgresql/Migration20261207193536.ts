import { Migration } from '@mikro-orm/migrations';

export class Migration20261207193536 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "subscriptions" ("id" uuid not null, "customer_id" uuid not null, "plan_variant_id" uuid not null, "status" varchar(32) not null default 'INCOMPLETE', "entitled" boolean not null default false, "billing_interval" varchar(8) not null, "billing_interval_count" int not null, "current_period_start" timestamptz null, "current_period_end" timestamptz null, "cancel_at_period_end" boolean not null default false, "canceled_at" timestamptz null, "anchor" timestamptz null, "use_credit" boolean not null default false, "stripe_customer_id" varchar(255) null, "saved_payment_method_id" varchar(255) null, "created_at" timestamptz not null, "version" int not null default 1, constraint "subscriptions_pkey" primary key ("id"));`);
    this.addSql(`create index "subscriptions_plan_variant_id_index" on "subscriptions" ("plan_variant_id");`);
    this.addSql(`create index "subscriptions_created_at_id_index" on "subscriptions" ("created_at", "id");`);
    this.addSql(`create index "subscriptions_customer_id_plan_variant_id_index" on "subscriptions" ("customer_id", "plan_variant_id");`);
    this.addSql(`create index "subscriptions_status_current_period_end_index" on "subscriptions" ("status", "current_period_end");`);

    this.addSql(`create table "subscription_periods" ("id" uuid not null, "subscription_id" uuid not null, "period_start" timestamptz not null, "period_end" timestamptz not null, "status" varchar(16) not null default 'OPEN', "order_id" uuid null, "attempt_count" int not null default 0, "next_attempt_at" timestamptz null, "paid_at" timestamptz null, "created_at" timestamptz not null, constraint "subscription_periods_pkey" primary key ("id"));`);
    this.addSql(`create index "subscription_periods_order_id_index" on "subscription_periods" ("order_id");`);
    this.addSql(`create index "subscription_periods_status_next_attempt_at_index" on "subscription_periods" ("status", "next_attempt_at");`);
    this.addSql(`alter table "subscription_periods" add constraint "subscription_periods_subscription_id_period_start_unique" unique ("subscription_id", "period_start");`);

    this.addSql(`alter table "customers" add column "stripe_customer_id" varchar(255) null;`);

    this.addSql(`alter table "orders" add column "subscription_id" uuid null;`);
    this.addSql(`create index "orders_subscription_id_index" on "orders" ("subscription_id");`);

    this.addSql(`alter table "variants" add column "billing_interval" varchar(8) null, add column "billing_interval_count" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "subscriptions" cascade;`);

    this.addSql(`drop table if exists "subscription_periods" cascade;`);

    this.addSql(`alter table "customers" drop column "stripe_customer_id";`);

    this.addSql(`drop index "orders_subscription_id_index";`);
    this.addSql(`alter table "orders" drop column "subscription_id";`);

    this.addSql(`alter table "variants" drop column "billing_interval", drop column "billing_interval_count";`);
  }

}
