import 'reflect-metadata';
import { loadConfigOrExit } from './config';
import { DEFAULT_ADMIN_EMAIL, startTillgate } from './app';

/** Bootstrap only: config -> orm -> server -> workers. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const tillgate = await startTillgate(config);
  const base = config.publicUrl;
  const where = config.database.dialect === 'libsql' ? `embedded libSQL file ${config.database.url}` : 'PostgreSQL (DATABASE_URL)';
  console.log([
    '',
    `Tillgate is running on ${where}`,
    `  GraphQL API   ${base}/graphql`,
    `  Playground    ${base}/playground`,
    `  Health        ${base}/healthz   ${base}/readyz   ${base}/metrics`,
    `  Admin         ${config.adminEmail ?? DEFAULT_ADMIN_EMAIL}` +
      (tillgate.generatedAdminPassword ? `  one-time dev password: ${tillgate.generatedAdminPassword} (set ADMIN_PASSWORD to choose one)` : ''),
    '',
  ].join('\n'));

  const shutdown = (signal: string) => {
    console.log(`${signal}: shutting down`);
    tillgate.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Tillgate failed to start: ${message}`);
  process.exit(1);
});
