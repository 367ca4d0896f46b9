export default async function globalTeardown(): Promise<void> {
  globalThis.__TILLGATE_PGBOUNCER__?.stop();
  globalThis.__TILLGATE_PG__?.stop();
}
