export default async function globalTeardown(): Promise<void> {
  globalThis.__TILLGATE_PG__?.stop();
}
