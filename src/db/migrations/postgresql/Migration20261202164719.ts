import { Migration } from '@mikro-orm/migrations';

export class Migration20261202164719 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "licenses" ("id" uuid not null, "key" varchar(64) not null, "order_id" uuid not null, "order_line_id" uuid not null, "unit_index" int not null, "variant_id" uuid not null, "customer_id" uuid null, "status" varchar(16) not null default 'ACTIVE', "issued_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by_refund_id" uuid null, constraint "licenses_pkey" primary key ("id"));`);
    this.addSql(`alter table "licenses" add constraint "licenses_key_unique" unique ("key");`);
    this.addSql(`create index "licenses_order_id_index" on "licenses" ("order_id");`);
    this.addSql(`create index "licenses_customer_id_issued_at_index" on "licenses" ("customer_id", "issued_at");`);
    this.addSql(`alter table "licenses" add constraint "licenses_order_line_id_unit_index_unique" unique ("order_line_id", "unit_index");`);

    this.addSql(`alter table "orders" add column "digital_units" int not null default 0;`);

    this.addSql(`alter table "order_lines" add column "kind" varchar(16) not null default 'PHYSICAL';`);

    this.addSql(`alter table "refunds" add column "lines" jsonb null;`);

    this.addSql(`alter table "variants" add column "kind" varchar(16) not null default 'PHYSICAL', add column "max_licenses" int null, add column "licenses_claimed" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "licenses" cascade;`);

    this.addSql(`alter table "order_lines" drop column "kind";`);

    this.addSql(`alter table "orders" drop column "digital_units";`);

    this.addSql(`alter table "refunds" drop column "lines";`);

    this.addSql(`alter table "variants" drop column "kind", drop column "max_licenses", drop column "licenses_claimed";`);
  }

}
