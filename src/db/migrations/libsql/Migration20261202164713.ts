import { Migration } from '@mikro-orm/migrations';

export class Migration20261202164713 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`partners\` (\`id\` text not null, \`name\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`partners_name_unique\` on \`partners\` (\`name\`);`);

    this.addSql(`create table \`partner_keys\` (\`id\` text not null, \`partner_id\` text not null, \`prefix\` text not null, \`salt\` text not null, \`secret_hash\` text not null, \`active_slot\` integer null, \`created_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`partner_keys_partner_id_index\` on \`partner_keys\` (\`partner_id\`);`);
    this.addSql(`create unique index \`partner_keys_prefix_unique\` on \`partner_keys\` (\`prefix\`);`);
    this.addSql(`create unique index \`partner_keys_active_slot_unique\` on \`partner_keys\` (\`partner_id\`, \`active_slot\`);`);
  }

}
