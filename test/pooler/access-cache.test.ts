import { startAccessFeed } from '../../src/db/access-changes';
import { Database } from '../../src/db/database';
import { openOrm } from '../../src/db/orm';
import { AccessCache } from '../../src/services/auth/access-cache';
import { startTestApp, type TestApp } from '../support/test-app';
import { directTestDatabaseUrl, testDatabaseConfig } from '../support/test-database';

const ME = 'query { me { id } }';
const REVOKE = 'mutation($id: ID!) { revokeTokens(customerId: $id) }';
const READS_CUSTOMERS = /^\[query\] select .* from [`"]?customers/i;

/**
 * Token checks from memory behind PgBouncer in transaction mode (issue 22):
 * LISTEN needs a session of its own, which the pooler does not keep.
 */
describe('the access cache behind a transaction pooler', () => {
  let direct: TestApp;
  let pooled: TestApp;
  const recorded = new Map<TestApp, string[]>();
  beforeAll(async () => {
    const behindPooler = { DATABASE_URL: (await testDatabaseConfig()).url, DATABASE_PREPARED_STATEMENTS: 'off' };
    direct = await startTestApp({ ...behindPooler, DATABASE_DIRECT_URL: await directTestDatabaseUrl() }, { onQuery: (sql) => recorded.get(direct)?.push(sql) });
    pooled = await startTestApp(behindPooler, { onQuery: (sql) => recorded.get(pooled)?.push(sql) });
  });
  beforeEach(() => direct.reset());
  afterAll(async () => {
    await pooled.close();
    await direct.close();
  });

  const me = async (app: TestApp, token: string) => (await app.gql(ME, {}, { token })).data?.me ?? null;
  /** The statements one signed-in `{ __typename }` runs in that app: nothing but its token check. */
  async function statementsOfCheck(app: TestApp, token: string): Promise<string[]> {
    recorded.set(app, []);
    try {
      expect((await app.gql('{ __typename }', {}, { token })).data).toEqual({ __typename: 'Query' });
      return recorded.get(app)!;
    } finally {
      recorded.delete(app);
    }
  }

  it('when DATABASE_DIRECT_URL reaches the server, then a token is checked from memory, and a revocation committed through the pooler is refused within a second', async () => {
    const ada = await pooled.customer();
    expect(await me(direct, ada.token)).toMatchObject({ id: ada.id });
    expect(await statementsOfCheck(direct, ada.token)).toEqual([]);

    expect(await pooled.gql(REVOKE, { id: ada.id }, { token: await pooled.adminToken() })).toEqual({ data: { revokeTokens: true } });
    const revokedAt = Date.now();

    while ((await me(direct, ada.token)) !== null && Date.now() - revokedAt < 1_000) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await me(direct, ada.token)).toBeNull();
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it('when there is no DATABASE_DIRECT_URL behind the pooler, then the cache is off: every signed-in request reads its token version', async () => {
    const ada = await pooled.customer();
    expect(pooled.tillgate.deps.access.isTrusted).toBe(false);

    const checks = [await statementsOfCheck(pooled, ada.token), await statementsOfCheck(pooled, ada.token), await statementsOfCheck(pooled, ada.token)];

    for (const statements of checks) {
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(READS_CUSTOMERS);
    }
  });

  it('when the listening session would go through the pooler (prepared statements left on), then no probe comes back and the cache stays off', async () => {
    // As PgBouncer 1.21 and later in transaction mode, which keeps prepared statements, would be configured.
    const orm = await openOrm({ ...(await testDatabaseConfig()), preparedStatements: true });
    const cache = new AccessCache();
    try {
      const feed = await startAccessFeed(new Database(orm), undefined, cache);
      expect(cache.isTrusted).toBe(false);
      await feed.stop();
    } finally {
      await orm.close(true);
    }
  });
});
