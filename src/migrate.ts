import './production-mode';
import 'reflect-metadata';
import { loadConfigOrExit } from './config';
import { migrate, openOrm } from './db/orm';
import { logger } from './services/shared/logger';

/**
 * `npm run migrate`: applies the pending migrations once, under an advisory
 * lock on PostgreSQL (db/orm.ts migrate), then exits. A release runs it before
 * starting the gateway and workers with MIGRATE_ON_START=off; any number may
 * run at once.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const orm = await openOrm(config.database);
  try {
    const applied = await migrate(orm);
    logger.info('migrate.finished', { database: config.database.dialect, applied: applied.length, migrations: applied, pid: process.pid });
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  logger.error('migrate.failed', { error });
  process.exitCode = 1;
});
