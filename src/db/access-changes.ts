import { closeSync, openSync, statSync, unwatchFile, watchFile, writeFileSync, type Stats } from 'node:fs';
import type { DatabaseConfig } from '../config';
import { logger } from '../services/shared/logger';
import type { Database } from './database';
import { NotificationListener } from './notifications';
import { isLibSqlFile, LIBSQL_FILE_MODE } from './orm';
import { preparedStatementsAllowed } from './sql/prepared-statements';

/**
 * The channel the customers table's trigger notifies at commit, the customer
 * id as payload, when a customer's role or token version changes or the
 * customer is deleted (migration Migration20261208120000, PostgreSQL).
 */
export const CUSTOMER_ACCESS_CHANNEL = 'tillgate_customer_access';

/** application_name of every gateway process's listening session, as pg_stat_activity shows it. */
export const ACCESS_LISTENER_NAME = 'tillgate-access-listener';

/** How often a gateway on the embedded file looks whether another process (`npm run admin`) changed a customer's access. */
export const EMBEDDED_SIGNAL_INTERVAL_MS = 250;

/** Told, after the commit, that a customer's role or token version changed. */
export interface AccessChanges {
  changed(customerId: string): void;
}

/** Customers' access kept in a process's memory, as the feed below drives it (services/auth/access-cache.ts). */
export interface AccessMemory extends AccessChanges {
  /** Any entry may be stale now: drop them all. */
  forgetAll(): void;
  /** Every change reaches this process from now on: entries may be kept and used. */
  trust(): void;
  /** A change may be missed from now on: drop every entry and use none until trust(). */
  distrust(): void;
}

export interface AccessFeed {
  stop(): Promise<void>;
}

/** The file a gateway on the embedded file watches and `npm run admin` writes: libSQL has no channel between processes. */
export const embeddedSignalPath = (databaseFile: string): string => `${databaseFile}-access-changed`;

/**
 * Keeps `memory` told of every change to customers' access made anywhere,
 * and trusted only while it is:
 * - PostgreSQL: a session LISTENs on CUSTOMER_ACCESS_CHANNEL, on
 *   DATABASE_DIRECT_URL when set, else on DATABASE_URL unless that goes
 *   through a pooler (DATABASE_PREPARED_STATEMENTS off), where no session
 *   would keep LISTEN and memory stays untrusted: every check reads. While
 *   the session is down memory is untrusted, and it is emptied when the
 *   session listens again.
 * - The embedded file: this process makes its own changes in place (the
 *   services tell memory); `npm run admin`, another process, writes the
 *   signal file, and a change to it empties memory.
 * - A database in memory has no other process: trusted from the start.
 */
export async function startAccessFeed(db: Database, directUrl: string | undefined, memory: AccessMemory): Promise<AccessFeed> {
  const untrust = { stop: async () => memory.distrust() };
  const opened = openedAt(db);
  if (db.dialect === 'libsql') {
    if (!isLibSqlFile({ dialect: 'libsql', url: opened.url })) {
      memory.trust();
      return untrust;
    }
    return watchEmbeddedSignal(opened.url, memory);
  }
  const url = directUrl ?? (opened.pooled ? null : opened.url);
  if (!url) {
    logger.info('auth.access_cache_off', {
      reason: 'DATABASE_PREPARED_STATEMENTS is off (a pooler) and DATABASE_DIRECT_URL is not set: every signed-in request reads its token version',
    });
    return untrust;
  }
  const listener = new NotificationListener({
    url,
    channel: CUSTOMER_ACCESS_CHANNEL,
    applicationName: ACCESS_LISTENER_NAME,
    sendProbe: async (payload) => {
      await db.sql(db.orm.em.fork()).rows('select pg_notify(?, ?)', [CUSTOMER_ACCESS_CHANNEL, payload]);
    },
    onListening: () => memory.trust(),
    onLost: () => memory.distrust(),
    onNotification: (customerId) => memory.changed(customerId),
  });
  await listener.start();
  return listener;
}

/**
 * Where the ORM under `db` was opened: the libSQL path or the PostgreSQL URL,
 * and whether its connections go through a pooler (opened with prepared
 * statements off, DATABASE_PREPARED_STATEMENTS=off).
 */
function openedAt(db: Database): { url: string; pooled: boolean } {
  const options = db.orm.config;
  if (db.dialect === 'libsql') return { url: String(options.get('dbName')), pooled: false };
  return { url: String(options.get('clientUrl')), pooled: !preparedStatementsAllowed(options) };
}

function watchEmbeddedSignal(databaseFile: string, memory: AccessMemory): AccessFeed {
  const path = embeddedSignalPath(databaseFile);
  closeSync(openSync(path, 'a', LIBSQL_FILE_MODE));
  // Compared with what was seen here, not with the poller's own first look, which comes later: a write in between counts.
  let seen = statSync(path);
  const onPoll = (now: Stats) => {
    if (now.mtimeMs === seen.mtimeMs && now.ino === seen.ino && now.size === seen.size) return;
    seen = now;
    memory.forgetAll();
  };
  watchFile(path, { interval: EMBEDDED_SIGNAL_INTERVAL_MS, persistent: false }, onPoll);
  memory.trust();
  return {
    stop: async () => {
      unwatchFile(path, onPoll);
      memory.distrust();
    },
  };
}

/**
 * What a process that serves no requests (`npm run admin`, the start-up's
 * admin) tells the gateways when it changed a customer's access: on the
 * embedded file it writes the signal file; on PostgreSQL the trigger has
 * notified already; a database in memory has no other process.
 */
export function accessChangesForOtherProcesses(config: DatabaseConfig): AccessChanges {
  if (!isLibSqlFile(config)) return { changed: () => undefined };
  const path = embeddedSignalPath(config.url);
  return { changed: (customerId) => writeFileSync(path, `${Date.now()} ${customerId}\n`, { mode: LIBSQL_FILE_MODE }) };
}
