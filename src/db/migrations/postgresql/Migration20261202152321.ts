import { Migration } from '@mikro-orm/migrations';

/**
 * Every token carries its customer's version, and raising it revokes them all.
 * Existing customers start at 0, the version of tokens signed before versions existed.
 */
export class Migration20261202152321 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "customers" add column "token_version" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customers" drop column "token_version";`);
  }

}
