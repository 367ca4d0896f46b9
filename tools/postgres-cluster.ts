import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locatePostgresBinaries, runAs, serviceAccount, type LocateOptions, type PostgresBinariesSource, type ServiceAccount } from './postgres-binaries';

/**
 * A throwaway PostgreSQL cluster (binaries: postgres-binaries.ts): 127.0.0.1
 * only, a free port, fsync off (a test cluster never needs to survive a power
 * cut). As root, PostgreSQL refuses to run, so it runs as a service account.
 */
export interface PostgresCluster {
  port: number;
  dataDir: string;
  /** Where its binaries came from (the system's, or the npm package's on a bare machine). */
  binariesSource: PostgresBinariesSource;
  /** The postmaster's pid (its backends are its children), from postmaster.pid; null once stopped. */
  serverPid(): number | null;
  urlFor(database: string): string;
  stop(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(account: ServiceAccount | null, binary: string, args: string[]): void {
  const result = runAs(account, binary, args);
  if (!result.ok) throw new Error(`${binary} ${args.join(' ')} failed: ${result.output}`);
}

export interface PostgresClusterOptions {
  extraSettings?: string[];
  /** Keeps fsync and synchronous commits on (benchmarks); tests run without them. */
  durable?: boolean;
  /** Where to look for the binaries (a test of the fallback passes its own environment). */
  locate?: Pick<LocateOptions, 'env'>;
}

export async function startPostgresCluster(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const account = serviceAccount();
  const binaries = locatePostgresBinaries({ ...options.locate, account });
  const bin = binaries.binDir;
  const dataDir = mkdtempSync(join(tmpdir(), 'tillgate-pg-'));
  const removeFiles = () => {
    rmSync(dataDir, { recursive: true, force: true });
    binaries.release();
  };
  try {
    if (account) chownSync(dataDir, account.uid, account.gid);
    run(account, join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${dataDir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=300',
      '-c shared_buffers=128MB',
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      ...(options.extraSettings ?? []),
    ];
    run(account, join(bin, 'pg_ctl'), ['-D', dataDir, '-o', settings.join(' '), '-l', join(dataDir, 'server.log'), '-w', '-t', '60', 'start']);
    let stopped = false;
    return {
      port,
      dataDir,
      binariesSource: binaries.source,
      urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
      serverPid() {
        try {
          return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
        } catch {
          return null;
        }
      },
      stop() {
        if (stopped) return;
        stopped = true;
        try {
          run(account, join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        } finally {
          removeFiles();
        }
      },
    };
  } catch (error) {
    removeFiles();
    throw error;
  }
}
