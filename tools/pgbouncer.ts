import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PGBOUNCER_PATHS from './pgbouncer-paths.json';
import { freePort } from './postgres-cluster';
import { ignoringSystemBinaries } from './system-binaries';

/**
 * A throwaway PgBouncer in transaction mode in front of a PostgreSQL server
 * (the tests' cluster), as production runs behind one: every transaction, and
 * every statement outside one, may land on another server connection, so
 * anything a session keeps (a named prepared statement, a SET, an advisory
 * lock) is lost or lands on someone else. Debian's `pgbouncer` package; like
 * PostgreSQL, it refuses to run as root, so it runs as the `postgres` user.
 */
export interface PgBouncer {
  port: number;
  /** Server connections per database (and user): few, so that clients really share them. */
  poolSize: number;
  urlFor(database: string): string;
  stop(): void;
}

/** Null on a machine without one: jest.config.js then leaves the `pgbouncer` project out, saying so. */
export function findPgBouncer(): string | null {
  if (ignoringSystemBinaries()) return null;
  return PGBOUNCER_PATHS.find((path) => existsSync(path)) ?? null;
}

const runningAsRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface PgBouncerOptions {
  /** The PostgreSQL server it pools for; the user must be able to log in there without a password (the test cluster trusts 127.0.0.1). */
  server: { host: string; port: number; user: string };
  poolSize?: number;
  maxClients?: number;
}

export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const binary = findPgBouncer();
  if (!binary) throw new Error('pgbouncer not found (apt-get install -y pgbouncer)');
  const { server } = options;
  const poolSize = options.poolSize ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'tillgate-pgbouncer-'));
  const port = await freePort();
  const pidFile = join(dir, 'pgbouncer.pid');
  const configFile = join(dir, 'pgbouncer.ini');
  writeFileSync(join(dir, 'userlist.txt'), `"${server.user}" ""\n`);
  writeFileSync(
    configFile,
    [
      '[databases]',
      // Any database name the client asks for, on the one server, as the one user.
      `* = host=${server.host} port=${server.port} user=${server.user}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      // The server trusts 127.0.0.1; trust here still needs the user listed in auth_file.
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'min_pool_size = 0',
      'reserve_pool_size = 0',
      `max_client_conn = ${options.maxClients ?? 1000}`,
      // Its admin console (database `pgbouncer`: SHOW CONFIG, SHOW POOLS) for the same user.
      `admin_users = ${server.user}`,
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${pidFile}`,
      '',
    ].join('\n'),
  );
  if (runningAsRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    for (const path of [dir, configFile, join(dir, 'userlist.txt')]) chownSync(path, uid, gid);
  }
  // -d: it daemonizes once the configuration is read, writing its pid file; stop() signals that pid.
  const [command, args] = runningAsRoot() ? ['runuser', ['-u', 'postgres', '--', binary, '-d', configFile]] : [binary, ['-d', configFile]];
  const started = spawnSync(command, args, { encoding: 'utf8' });
  if (started.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pgbouncer failed to start (${started.status}): ${started.stderr || started.stdout}`);
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      // SIGTERM: immediate shutdown, clients and server connections dropped (the cluster goes next).
      process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
    } catch {
      // Already gone.
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await waitForPort(port, 10_000);
  } catch (error) {
    const log = existsSync(join(dir, 'pgbouncer.log')) ? readFileSync(join(dir, 'pgbouncer.log'), 'utf8') : '';
    stop();
    throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
  }
  return { port, poolSize, urlFor: (database) => `postgres://${server.user}@127.0.0.1:${port}/${database}`, stop };
}
