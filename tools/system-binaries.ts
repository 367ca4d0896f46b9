/**
 * `TILLGATE_TEST_IGNORE_SYSTEM_BINARIES=1` makes the test tooling act as if
 * the machine had no PostgreSQL, Chromium or PgBouncer of its own, so the
 * fallbacks a bare machine relies on (binaries shipped in npm packages) can be
 * run on a machine that has them all. jest.config.js reads the same variable.
 */
export const IGNORE_SYSTEM_BINARIES = 'TILLGATE_TEST_IGNORE_SYSTEM_BINARIES';

export function ignoringSystemBinaries(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[IGNORE_SYSTEM_BINARIES] === '1';
}
