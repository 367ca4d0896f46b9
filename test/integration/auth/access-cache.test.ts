import { ACCESS_LISTENER_NAME } from '../../../src/db/access-changes';
import { startTestApp, type TestApp } from '../../support/test-app';
import { testDialect } from '../../support/test-database';

const ME = 'query { me { id role } }';
const REVOKE = 'mutation($id: ID!) { revokeTokens(customerId: $id) }';
/** MikroORM quotes the table with " on PostgreSQL and ` on libSQL. */
const READS_CUSTOMERS = /^\[query\] select .* from [`"]?customers/i;

/** Polls `check` every 10 ms; answers how long it took to hold, or fails after `withinMs`. */
async function within(withinMs: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > withinMs) throw new Error(`did not hold within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

/**
 * The access cache of a gateway process (issue 22): a token is checked against
 * the customer's token version and role from memory once the process has read
 * them, and every change made anywhere still counts.
 */
describe('token checks from the access cache', () => {
  let app: TestApp;
  let recorded: string[] | null = null;
  beforeAll(async () => {
    app = await startTestApp({}, { onQuery: (sql) => recorded?.push(sql) });
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  const access = () => app.tillgate.deps.access;
  const me = async (token: string) => (await app.gql(ME, {}, { token })).data?.me ?? null;
  /** The statements one signed-in `{ __typename }` runs: nothing but the token check. */
  async function statementsOfCheck(token: string): Promise<string[]> {
    recorded = [];
    try {
      expect((await app.gql('{ __typename }', {}, { token })).data).toEqual({ __typename: 'Query' });
      return recorded;
    } finally {
      recorded = null;
    }
  }

  it('when a signed-in customer calls again, then the first request reads their token version and role and the later ones run no statement', async () => {
    const ada = await app.customer();
    expect(access().isTrusted).toBe(true);

    const first = await statementsOfCheck(ada.token);
    const second = await statementsOfCheck(ada.token);
    const third = await statementsOfCheck(ada.token);

    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(READS_CUSTOMERS);
    expect([second, third]).toEqual([[], []]);
  });

  it('when a token the process holds is revoked through that process, then the very next request refuses it, with no notification waited for', async () => {
    const ada = await app.customer();
    expect(await me(ada.token)).toMatchObject({ id: ada.id });
    expect(access().find(ada.id)).toEqual({ role: 'CUSTOMER', tokenVersion: 0 });

    expect(await app.gql(REVOKE, { id: ada.id }, { token: await app.adminToken() })).toEqual({ data: { revokeTokens: true } });

    expect(await me(ada.token)).toBeNull();
    expect((await statementsOfCheck(ada.token)).filter((sql) => READS_CUSTOMERS.test(sql))).toHaveLength(0);
  });

  if (testDialect() === 'postgresql') {
    const revokeBehindTheProcess = (customerId: string) =>
      app.orm.em.fork().execute('update customers set token_version = token_version + 1 where id = ?', [customerId]);

    it('when another process revokes a token this process holds, then the notification reaches it and the token is refused within a second', async () => {
      const ada = await app.customer();
      expect(await me(ada.token)).toMatchObject({ id: ada.id });
      expect(await statementsOfCheck(ada.token)).toEqual([]);

      await revokeBehindTheProcess(ada.id);

      expect(await within(1_000, async () => (await me(ada.token)) === null)).toBeLessThan(1_000);
    });

    it('when the listening session is cut and a token revoked meanwhile, then the token is refused, checks read the database until a new session listens, and then come from memory again', async () => {
      const [ada, bob] = [await app.customer(), await app.customer()];
      for (const token of [ada.token, bob.token]) expect(await me(token)).not.toBeNull();
      expect(await statementsOfCheck(bob.token)).toEqual([]);

      const listeners = () =>
        app.orm.em
          .fork()
          .execute<{ pid: number }[]>('select pid from pg_stat_activity where application_name = ? and datname = current_database()', [ACCESS_LISTENER_NAME]);
      const [cut] = await app.orm.em
        .fork()
        .execute<{ pid: number; ended: boolean }[]>(
          'select pid, pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = ? and datname = current_database()',
          [ACCESS_LISTENER_NAME],
        );
      expect(cut.ended).toBe(true);
      // Seen either way: memory untrusted, or (on a machine slow enough to miss that moment) a new session already there.
      await within(2_000, async () => !access().isTrusted || (await listeners()).some(({ pid }) => pid !== cut.pid));
      // Most likely while no session listens: its notification then goes nowhere.
      await revokeBehindTheProcess(ada.id);

      expect(await me(ada.token)).toBeNull();
      // Read, whether memory is still untrusted or was emptied when trusted again.
      expect((await statementsOfCheck(bob.token)).filter((sql) => READS_CUSTOMERS.test(sql))).toHaveLength(1);

      await within(10_000, () => access().isTrusted);
      expect(await me(ada.token)).toBeNull();
      const cyd = await app.customer();
      expect(await statementsOfCheck(cyd.token)).toHaveLength(1);
      expect(await statementsOfCheck(cyd.token)).toEqual([]);
      await revokeBehindTheProcess(cyd.id);
      expect(await within(1_000, async () => (await me(cyd.token)) === null)).toBeLessThan(1_000);
    });
  }
});
