import { Migration } from '@mikro-orm/migrations';

/**
 * Every token carries its customer's version, and raising it revokes them all.
 * Existing customers start at 0, the version of tokens signed before versions existed.
 */
export class Migration20261202152319 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`customers\` add column \`token_version\` integer not null default 0;`);
  }

}
