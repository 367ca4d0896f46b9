import { startPostgresCluster, type PostgresCluster } from '../../tools/postgres-cluster';

declare global {
  var __TILLGATE_PG__: PostgresCluster | undefined;
}

/**
 * Starts one throwaway cluster for the whole run. Nothing of the application is
 * imported here: Jest copies this process's globals into test sandboxes, and
 * ORM metadata registered here would leak into them. Each worker creates and
 * migrates its own database (test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TILLGATE_TEST_PG_URL) return; // an outer harness already provides one
  const cluster = await startPostgresCluster();
  globalThis.__TILLGATE_PG__ = cluster;
  process.env.TILLGATE_TEST_PG_URL = cluster.urlFor('postgres');
}
