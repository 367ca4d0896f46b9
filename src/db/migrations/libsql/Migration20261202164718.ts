import { Migration } from '@mikro-orm/migrations';

export class Migration20261202164718 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`licenses\` (\`id\` text not null, \`key\` text not null, \`order_id\` text not null, \`order_line_id\` text not null, \`unit_index\` integer not null, \`variant_id\` text not null, \`customer_id\` text null, \`status\` text not null default 'ACTIVE', \`issued_at\` datetime not null, \`revoked_at\` datetime null, \`revoked_by_refund_id\` text null, primary key (\`id\`));`);
    this.addSql(`create unique index \`licenses_key_unique\` on \`licenses\` (\`key\`);`);
    this.addSql(`create index \`licenses_order_id_index\` on \`licenses\` (\`order_id\`);`);
    this.addSql(`create index \`licenses_customer_id_issued_at_index\` on \`licenses\` (\`customer_id\`, \`issued_at\`);`);
    this.addSql(`create unique index \`licenses_order_line_id_unit_index_unique\` on \`licenses\` (\`order_line_id\`, \`unit_index\`);`);

    this.addSql(`alter table \`orders\` add column \`digital_units\` integer not null default 0;`);

    this.addSql(`alter table \`order_lines\` add column \`kind\` text not null default 'PHYSICAL';`);

    this.addSql(`alter table \`refunds\` add column \`lines\` json null;`);

    this.addSql(`alter table \`variants\` add column \`kind\` text not null default 'PHYSICAL';`);
    this.addSql(`alter table \`variants\` add column \`max_licenses\` integer null;`);
    this.addSql(`alter table \`variants\` add column \`licenses_claimed\` integer not null default 0;`);
  }

}
