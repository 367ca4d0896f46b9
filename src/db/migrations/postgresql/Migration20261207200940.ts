import { Migration } from '@mikro-orm/migrations';

export class Migration20261207200940 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create unique index subscriptions_one_live_per_plan on subscriptions (customer_id, plan_variant_id) where status in ('INCOMPLETE', 'ACTIVE', 'PAST_DUE');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "subscriptions_one_live_per_plan";`);
  }

}
