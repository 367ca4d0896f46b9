/**
 * Projects: unit (no database), integration suites run twice (libSQL and
 * PostgreSQL), race suites on PostgreSQL only (they need real concurrent
 * connections). One throwaway PostgreSQL cluster serves the whole run.
 * `pgbouncer` runs the suites that lean on shared state across connections
 * (rate-limit counters, checkout, workers) once more through PgBouncer in
 * transaction mode with DATABASE_PREPARED_STATEMENTS off, as a deployment
 * behind a pooler does (test/support/dialect-pgbouncer.ts); only on a machine
 * that has PgBouncer (CI installs it).
 */
const { existsSync } = require('node:fs');
const PGBOUNCER_PATHS = require('./tools/pgbouncer-paths.json');

// PgBouncer is not on npm: a machine without it runs everything else, and says what it left out.
// TILLGATE_TEST_IGNORE_SYSTEM_BINARIES=1 acts as such a machine (tools/system-binaries.ts).
const pgbouncerPresent = process.env.TILLGATE_TEST_IGNORE_SYSTEM_BINARIES !== '1' && PGBOUNCER_PATHS.some((path) => existsSync(path));
if (!pgbouncerPresent) {
  console.log(`pgbouncer not found (${PGBOUNCER_PATHS.join(', ')}): the pgbouncer project is left out of this run (apt-get install -y pgbouncer runs it)`);
}

const transform = { '^.+\\.ts$': ['@swc/jest', { swcrc: true }] };
// Every project hashes passwords at a test-only scrypt cost (test/support/test-password-cost.ts).
const setupFiles = ['reflect-metadata', '<rootDir>/test/support/test-password-cost.ts'];
const common = { transform, testEnvironment: 'node', setupFiles };

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // The suites mostly wait on PostgreSQL, libSQL and HTTP: three workers on the
  // 2-core machines run the whole suite in about half the time of two.
  maxWorkers: 3,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/stripe-emulator/**/*.test.ts'] },
    {
      ...common,
      displayName: 'libsql',
      setupFiles: [...setupFiles, '<rootDir>/test/support/dialect-libsql.ts'],
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'postgresql',
      setupFiles: [...setupFiles, '<rootDir>/test/support/dialect-postgresql.ts'],
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/races/**/*.test.ts'],
    },
    pgbouncerPresent && {
      ...common,
      displayName: 'pgbouncer',
      setupFiles: [...setupFiles, '<rootDir>/test/support/dialect-pgbouncer.ts'],
      // A subset, for the suite's wall time: every rate-limit counter suite (the counts are the statements
      // a pooler broke), the checkout suites of concurrent confirms, stock and voucher caps, and the
      // workers' claims and due checks.
      testMatch: [
        '<rootDir>/test/pooler/**/*.test.ts',
        '<rootDir>/test/integration/rate-limits/!(trust-proxy).test.ts',
        '<rootDir>/test/integration/checkout/{checkout-idempotency,confirm-stock,voucher-caps,start-checkout}.test.ts',
        '<rootDir>/test/integration/workers/{worker-runner,due-checks,cart-cleanup}.test.ts',
      ],
    },
  ].filter(Boolean),
};
