import { Migration } from '@mikro-orm/migrations';

export class Migration20261207193530 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`subscriptions\` (\`id\` text not null, \`customer_id\` text not null, \`plan_variant_id\` text not null, \`status\` text not null default 'INCOMPLETE', \`entitled\` integer not null default false, \`billing_interval\` text not null, \`billing_interval_count\` integer not null, \`current_period_start\` datetime null, \`current_period_end\` datetime null, \`cancel_at_period_end\` integer not null default false, \`canceled_at\` datetime null, \`anchor\` datetime null, \`use_credit\` integer not null default false, \`stripe_customer_id\` text null, \`saved_payment_method_id\` text null, \`created_at\` datetime not null, \`version\` integer not null default 1, primary key (\`id\`));`);
    this.addSql(`create index \`subscriptions_plan_variant_id_index\` on \`subscriptions\` (\`plan_variant_id\`);`);
    this.addSql(`create index \`subscriptions_created_at_id_index\` on \`subscriptions\` (\`created_at\`, \`id\`);`);
    this.addSql(`create index \`subscriptions_customer_id_plan_variant_id_index\` on \`subscriptions\` (\`customer_id\`, \`plan_variant_id\`);`);
    this.addSql(`create index \`subscriptions_status_current_period_end_index\` on \`subscriptions\` (\`status\`, \`current_period_end\`);`);

    this.addSql(`create table \`subscription_periods\` (\`id\` text not null, \`subscription_id\` text not null, \`period_start\` datetime not null, \`period_end\` datetime not null, \`status\` text not null default 'OPEN', \`order_id\` text null, \`attempt_count\` integer not null default 0, \`next_attempt_at\` datetime null, \`paid_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`subscription_periods_order_id_index\` on \`subscription_periods\` (\`order_id\`);`);
    this.addSql(`create index \`subscription_periods_status_next_attempt_at_index\` on \`subscription_periods\` (\`status\`, \`next_attempt_at\`);`);
    this.addSql(`create unique index \`subscription_periods_subscription_id_period_start_unique\` on \`subscription_periods\` (\`subscription_id\`, \`period_start\`);`);

    this.addSql(`alter table \`customers\` add column \`stripe_customer_id\` text null;`);

    this.addSql(`alter table \`orders\` add column \`subscription_id\` text null;`);
    this.addSql(`create index \`orders_subscription_id_index\` on \`orders\` (\`subscription_id\`);`);

    this.addSql(`alter table \`variants\` add column \`billing_interval\` text null;`);
    this.addSql(`alter table \`variants\` add column \`billing_interval_count\` integer null;`);
  }

}
