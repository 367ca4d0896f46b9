import './production-mode';
import 'reflect-metadata';
import type { Config } from './config';
import { loadConfigOrExit, requireGuardedMetrics } from './config';
import { startTillgate } from './app';
import { isGatewayChild, runGatewayPrimary } from './gateway-cluster';
import { describeStartUpAdmin, type StartUpAdmin } from './services/auth/start-up-admin';

function printBanner(config: Config, admin: StartUpAdmin | null): void {
  const base = config.publicUrl;
  const where = config.database.dialect === 'libsql' ? `embedded libSQL file ${config.database.url}` : 'PostgreSQL (DATABASE_URL)';
  const processes = config.gatewayProcesses > 1 ? ` with ${config.gatewayProcesses} gateway processes` : '';
  console.log(
    [
      '',
      `Tillgate is running on ${where}${processes}`,
      `  GraphQL API   ${base}/graphql`,
      `  Playground    ${base}/playground`,
      `  Health        ${base}/healthz   ${base}/readyz   ${base}/metrics`,
      ...(admin ? [`  Admin         ${describeStartUpAdmin(admin)}`] : []),
      '',
    ].join('\n'),
  );
}

/** Bootstrap only: config -> orm -> server -> workers (or, with GATEWAY_PROCESSES > 1, a primary that forks the servers). */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, requireGuardedMetrics);
  if (config.gatewayProcesses > 1 && !isGatewayChild()) {
    const primary = await runGatewayPrimary(config);
    printBanner(config, primary.admin);
    await primary.stopped;
    process.exit(0);
  }
  const tillgate = await startTillgate(config, { databasePrepared: isGatewayChild(), clusterMetrics: isGatewayChild() });
  if (!isGatewayChild()) printBanner(config, tillgate.admin);

  // Kept installed after the first signal: Ctrl-C reaches a gateway process
  // twice (from the terminal and from its primary), and the second must not cut the drain short.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    tillgate.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Tillgate failed to start: ${message}`);
  process.exit(1);
});
