import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  hydrateSymlinks,
  locatePostgresBinaries,
  NPM_PACKAGE,
  npmPackageDir,
  runAs,
  serviceAccount,
  type PostgresBinaries,
} from '../../../tools/postgres-binaries';

const runningAsRoot = process.getuid?.() === 0;
const installedPackage = npmPackageDir()!;
const listedSymlinks = (nativeDir: string) =>
  (JSON.parse(readFileSync(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as { target: string }[]).map(({ target }) =>
    join(nativeDir, relative('native', target)),
  );

/** A fake /usr/lib/postgresql with an initdb in each version's bin. */
function systemTree(versions: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'tillgate-fake-pg-'));
  for (const version of versions) {
    mkdirSync(join(root, version, 'bin'), { recursive: true });
    writeFileSync(join(root, version, 'bin', 'initdb'), '');
  }
  return root;
}

/**
 * Where the throwaway cluster's binaries come from: the system's when it has
 * them, else the npm package's build, staged with the library symlinks its
 * (possibly blocked) install script would have made, runnable by the account
 * PostgreSQL runs as.
 */
describe('locating PostgreSQL binaries', () => {
  const scratch: string[] = [];
  const staged: PostgresBinaries[] = [];
  afterAll(() => {
    for (const binaries of staged) binaries.release();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('when the system has several versions, then the newest one is used', () => {
    const root = systemTree(['13', '15', '9.6']);
    scratch.push(root);

    const binaries = locatePostgresBinaries({ env: {}, systemRoot: root, packageDirs: [] });

    expect(binaries).toMatchObject({ source: 'system', binDir: join(root, '15', 'bin') });
  });

  it('when TILLGATE_TEST_PG_BIN is set, then it wins over the system, and a directory without initdb is refused', () => {
    const root = systemTree(['15', '16']);
    scratch.push(root);

    expect(locatePostgresBinaries({ env: { TILLGATE_TEST_PG_BIN: join(root, '15', 'bin') }, systemRoot: root })).toMatchObject({
      source: 'configured',
      binDir: join(root, '15', 'bin'),
    });
    expect(() => locatePostgresBinaries({ env: { TILLGATE_TEST_PG_BIN: root }, systemRoot: root })).toThrow(`TILLGATE_TEST_PG_BIN=${root} holds no initdb`);
  });

  it('when the system binaries are ignored, then the npm build is staged outside node_modules with every listed symlink, and its postgres, initdb and pg_ctl run', () => {
    const root = systemTree(['15']);
    scratch.push(root);

    const binaries = locatePostgresBinaries({ env: { TILLGATE_TEST_IGNORE_SYSTEM_BINARIES: '1' }, systemRoot: root });
    staged.push(binaries);

    expect(binaries.source).toBe('npm');
    expect(binaries.binDir.startsWith(tmpdir())).toBe(true);
    for (const link of listedSymlinks(join(binaries.binDir, '..'))) expect(lstatSync(link).isSymbolicLink()).toBe(true);
    for (const binary of ['postgres', 'initdb', 'pg_ctl']) {
      const version = runAs(serviceAccount(), join(binaries.binDir, binary), ['--version']);
      expect(version).toEqual({ ok: true, output: expect.stringMatching(/\(PostgreSQL\) 15\.\d+$/) });
    }
  });

  it('when npm ran no install script (no library symlinks), then the staged build gets them and runs', () => {
    const bare = mkdtempSync(join(tmpdir(), 'tillgate-pg-package-'));
    scratch.push(bare);
    cpSync(installedPackage, bare, { recursive: true, verbatimSymlinks: true });
    for (const link of listedSymlinks(join(bare, 'native'))) unlinkSync(link);
    expect(runAs(null, join(bare, 'native', 'bin', 'postgres'), ['--version']).ok).toBe(false);

    const binaries = locatePostgresBinaries({ env: {}, systemRoot: join(bare, 'none'), packageDirs: [join(bare, 'missing'), bare] });
    staged.push(binaries);

    expect(runAs(serviceAccount(), join(binaries.binDir, 'postgres'), ['--version'])).toEqual({ ok: true, output: expect.stringMatching(/15\.\d+$/) });
    // Hydrating again changes nothing and does not fail.
    expect(() => hydrateSymlinks(join(binaries.binDir, '..'))).not.toThrow();
  });

  it('when released, then the staged copy is gone', () => {
    const binaries = locatePostgresBinaries({ env: { TILLGATE_TEST_IGNORE_SYSTEM_BINARIES: '1' } });

    binaries.release();

    expect(existsSync(binaries.binDir)).toBe(false);
  });

  it('when neither the system nor npm has them, then the error names both places', () => {
    expect(() => locatePostgresBinaries({ env: {}, systemRoot: join(tmpdir(), 'tillgate-no-such-dir'), packageDirs: [] })).toThrow(
      `PostgreSQL server binaries not found: none under /usr/lib/postgresql, and the npm package ${NPM_PACKAGE} is not installed`,
    );
  });

  it('when running as root without a postgres account, then PostgreSQL runs as nobody (and not as root at all otherwise)', () => {
    const account = serviceAccount(['tillgate-no-such-account', 'nobody']);

    expect(account).toEqual(runningAsRoot ? { name: 'nobody', uid: expect.any(Number), gid: expect.any(Number) } : null);
  });

  it('when the account is nobody, then the staged npm build still runs (readable outside a private checkout)', () => {
    const nobody = runningAsRoot ? serviceAccount(['nobody']) : null;

    const binaries = locatePostgresBinaries({ env: { TILLGATE_TEST_IGNORE_SYSTEM_BINARIES: '1' }, account: nobody });
    staged.push(binaries);

    expect(runAs(nobody, join(binaries.binDir, 'postgres'), ['--version'])).toEqual({ ok: true, output: expect.stringMatching(/15\.\d+$/) });
  });
});
