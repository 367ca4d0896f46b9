import { Migration } from '@mikro-orm/migrations';

/**
 * Every change to a customer's role or token version, and a customer's
 * deletion, notifies the channel `tillgate_customer_access` (CUSTOMER_ACCESS_CHANNEL
 * in src/db/access-changes.ts) with the customer id, from inside the
 * transaction that makes it: PostgreSQL delivers it at commit, and never for a
 * transaction rolled back. Each gateway process LISTENs there and forgets that
 * customer's cached access. A trigger, not a statement beside each update, so
 * no writer can change access unannounced: revokeTokens, `npm run admin`, an
 * operator's own SQL.
 */
export class Migration20261208120000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function "customers_access_changed"() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform pg_notify('tillgate_customer_access', old.id::text);
  elsif new.role is distinct from old.role or new.token_version is distinct from old.token_version then
    perform pg_notify('tillgate_customer_access', new.id::text);
  end if;
  return null;
end
$$;`);
    this.addSql(`create trigger "customers_access_changed" after update of "role", "token_version" or delete on "customers" for each row execute function "customers_access_changed"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "customers_access_changed" on "customers";`);
    this.addSql(`drop function if exists "customers_access_changed"();`);
  }

}
