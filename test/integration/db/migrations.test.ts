import { openTestOrm, testDialect } from '../../support/test-database';
import type { Orm } from '../../../src/db/orm';

/**
 * The committed migrations of this dialect must produce exactly the schema the
 * entities describe: after migrating, MikroORM finds nothing left to change.
 */
describe(`migrations (${testDialect()})`, () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await openTestOrm();
  });
  afterAll(() => orm.close(true));

  it('when every migration has run, then the schema diff against the entities is empty', async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
    expect(diff.trim()).toBe('');
  });

  it('when migrations run again, then nothing is pending', async () => {
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
  });
});
