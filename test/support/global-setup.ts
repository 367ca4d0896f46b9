import { findPgBouncer, startPgBouncer, type PgBouncer } from '../../tools/pgbouncer';
import { startPostgresCluster, type PostgresCluster } from '../../tools/postgres-cluster';

declare global {
  var __TILLGATE_PG__: PostgresCluster | undefined;
  var __TILLGATE_PGBOUNCER__: PgBouncer | undefined;
}

/**
 * Starts one throwaway cluster for the whole run (from the system's
 * PostgreSQL, or the npm package's build on a machine without one:
 * tools/postgres-binaries.ts), and a PgBouncer in transaction mode in front of
 * it for the `pgbouncer` project (when the machine has one; jest.config.js
 * leaves that project out, saying so, when it does not). Nothing of the application is imported here: Jest copies this
 * process's globals into test sandboxes, and ORM metadata registered here
 * would leak into them. Each worker creates and migrates its own database
 * (test-database.ts), directly, never through the pooler.
 */
export default async function globalSetup(): Promise<void> {
  // An outer harness may already provide either.
  if (!process.env.TILLGATE_TEST_PG_URL) {
    const cluster = await startPostgresCluster();
    globalThis.__TILLGATE_PG__ = cluster;
    process.env.TILLGATE_TEST_PG_URL = cluster.urlFor('postgres');
  }
  if (!process.env.TILLGATE_TEST_PGBOUNCER_URL && findPgBouncer()) {
    const server = new URL(process.env.TILLGATE_TEST_PG_URL);
    const bouncer = await startPgBouncer({ server: { host: server.hostname, port: Number(server.port || 5432), user: server.username || 'postgres' } });
    globalThis.__TILLGATE_PGBOUNCER__ = bouncer;
    process.env.TILLGATE_TEST_PGBOUNCER_URL = bouncer.urlFor('postgres');
  }
}
