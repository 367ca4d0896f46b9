import { Migration } from '@mikro-orm/migrations';

export class Migration20261202164714 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "partners" ("id" uuid not null, "name" varchar(100) not null, "created_at" timestamptz not null, constraint "partners_pkey" primary key ("id"));`);
    this.addSql(`alter table "partners" add constraint "partners_name_unique" unique ("name");`);

    this.addSql(`create table "partner_keys" ("id" uuid not null, "partner_id" uuid not null, "prefix" varchar(32) not null, "salt" varchar(32) not null, "secret_hash" varchar(64) not null, "active_slot" smallint null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "partner_keys_pkey" primary key ("id"));`);
    this.addSql(`create index "partner_keys_partner_id_index" on "partner_keys" ("partner_id");`);
    this.addSql(`alter table "partner_keys" add constraint "partner_keys_prefix_unique" unique ("prefix");`);
    this.addSql(`alter table "partner_keys" add constraint "partner_keys_active_slot_unique" unique ("partner_id", "active_slot");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "partners" cascade;`);

    this.addSql(`drop table if exists "partner_keys" cascade;`);
  }

}
