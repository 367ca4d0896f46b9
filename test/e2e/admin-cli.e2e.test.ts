import { startAccessFeed, type AccessFeed } from '../../src/db/access-changes';
import { Database } from '../../src/db/database';
import { migrate, openOrm, type Orm } from '../../src/db/orm';
import { createStores } from '../../src/db/stores';
import { Customer, Role } from '../../src/entities';
import { AccessCache } from '../../src/services/auth/access-cache';
import { AuthService } from '../../src/services/auth/auth.service';
import { TokenStandingService } from '../../src/services/auth/token-standing.service';
import { verifyPassword } from '../../src/services/auth/passwords';
import { TokenService } from '../../src/services/auth/tokens';
import { runToEnd } from '../support/child-output';
import { buildIntoScratch, type ScratchBuild } from '../support/scratch-build';
import { openTestOrm, testDatabaseConfig, testDialect, truncateAll } from '../support/test-database';

const AUTH_SECRET = 'admin-cli-test-secret-of-at-least-32-chars';

/**
 * `npm run admin -- --email …` as an operator runs it (the built
 * dist/src/admin.js, the password piped to stdin), against the database the
 * test then reads: this Jest worker's PostgreSQL database, or an embedded
 * file the test migrates first. Beside it runs what a gateway process checks
 * tokens with: the access cache, kept told of changes by the feed a gateway
 * starts (the trigger's notifications, or the embedded file's signal file).
 */
describe('npm run admin', () => {
  // Each test runs the built CLI as a child process, twice: on a loaded 2-core machine one start can take half a minute.
  jest.setTimeout(180_000);
  let build: ScratchBuild;
  let orm: Orm;
  let env: Record<string, string>;
  const tokens = new TokenService(AUTH_SECRET);
  const cache = new AccessCache();
  let feed: AccessFeed;
  beforeAll(async () => {
    build = buildIntoScratch('admin-cli');
    if (testDialect() === 'postgresql') {
      orm = await openTestOrm();
      env = { DATABASE_URL: (await testDatabaseConfig()).url, AUTH_SECRET };
    } else {
      env = { DATA_DIR: `${build.dir}/data` };
      orm = await openOrm({ dialect: 'libsql', url: `${env.DATA_DIR}/tillgate.db` });
      await migrate(orm);
    }
    feed = await startAccessFeed(new Database(orm), undefined, cache);
  });
  afterAll(async () => {
    await feed.stop();
    if (testDialect() === 'postgresql') await truncateAll(orm);
    await orm.close(true);
    build.remove();
  });

  const admin = (args: string[], stdin: string) => runToEnd(build.entry('src/admin.js'), env, { args, stdin });
  const stored = (email: string) => orm.em.fork().findOne(Customer, { email });
  const accounts = () => new AuthService(orm.em.fork(), { tokens, access: cache });
  /** A token's standing as a gateway process checks it on a request: from its access cache, told of changes by its feed. */
  const gateway = () => {
    const db = new Database(orm);
    return new TokenStandingService(orm.em.fork(), { tokens, db, stores: createStores(db), access: cache });
  };

  it("when the password breaks sign-up's rules, then it exits 2 with sign-up's message, creates nothing, and never shows the password", async () => {
    const short = await admin(['--email', 'short@shop.example'], 'seven7!\n');
    const controlCharacter = await admin(['--email=tab@shop.example'], 'has\ta-tab-inside\n');
    const badEmail = await admin(['--email', 'not-an-email'], 'long-enough-password\n');
    const nothingPiped = await admin(['--email', 'empty@shop.example'], '');

    expect(short).toEqual({ code: 2, output: 'Passwords need at least 8 characters. Nothing was changed.\n' });
    expect(controlCharacter.code).toBe(2);
    expect(controlCharacter.output).toMatch(/^Passwords have at most 200 characters and no control characters\. Nothing was changed\.\n$/);
    expect(badEmail).toEqual({ code: 2, output: 'Enter a valid email address. Nothing was changed.\n' });
    expect(nothingPiped.code).toBe(2);
    expect(nothingPiped.output).toMatch(/^No password on stdin/);
    for (const email of ['short@shop.example', 'tab@shop.example', 'empty@shop.example']) expect(await stored(email)).toBeNull();
  });

  it('when the arguments are not one --email, then it prints the usage and exits 2', async () => {
    for (const args of [[], ['--email'], ['--mail', 'x@shop.example'], ['--email', 'a@shop.example', 'extra']]) {
      expect(await admin(args, 'long-enough-password\n')).toEqual({
        code: 2,
        output: 'Usage: npm run admin -- --email you@example.com   (the password is read from stdin)\n',
      });
    }
  });

  it("when the email is a customer's, then the account becomes an admin with the given password and a running gateway refuses its earlier tokens within a second", async () => {
    const signedUp = await accounts().signUp({ email: 'promoted@shop.example', password: 'the-customers-own-password' });
    if (!signedUp.ok) throw new Error(signedUp.failure.message);
    expect(await gateway().authenticate(signedUp.value.token)).toMatchObject({ role: Role.CUSTOMER });
    expect(cache.isTrusted).toBe(true);
    expect(cache.find(signedUp.value.customer.id)).toEqual({ role: Role.CUSTOMER, tokenVersion: 0 });

    const run = await admin(['--email', 'promoted@shop.example'], 'the-new-admin-password\r\nignored second line\n');
    const ranAt = Date.now();
    while ((await gateway().authenticate(signedUp.value.token)) !== null && Date.now() - ranAt < 1_000) await new Promise((r) => setTimeout(r, 20));
    const refusedAfterMs = Date.now() - ranAt;

    expect(run).toEqual({
      code: 0,
      output: 'promoted@shop.example was a customer account: it is an admin now, and its password is the one given now and its earlier sessions are ended.\n',
    });
    expect(await gateway().authenticate(signedUp.value.token)).toBeNull();
    expect(refusedAfterMs).toBeLessThan(1_000);
    const account = (await stored('promoted@shop.example'))!;
    expect(account.role).toBe(Role.ADMIN);
    expect(await verifyPassword('the-new-admin-password', account.passwordHash)).toBe(true);
  });

  it('when it runs again for an admin with the same password, then it says so and its sessions go on', async () => {
    expect((await admin(['--email', 'steady@shop.example'], 'steady-admin-password\n')).output).toBe('Created the admin steady@shop.example.\n');
    const session = await accounts().logIn({ email: 'steady@shop.example', password: 'steady-admin-password' });
    if (!session.ok) throw new Error(session.failure.message);

    const again = await admin(['--email', 'steady@shop.example'], 'steady-admin-password\n');

    expect(again).toEqual({ code: 0, output: 'steady@shop.example was an admin already: its password was already this one.\n' });
    expect(await gateway().authenticate(session.value.token)).toMatchObject({ role: Role.ADMIN });
  });
});
