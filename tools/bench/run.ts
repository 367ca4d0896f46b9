/**
 * npm run bench: drives N concurrent virtual customers through the whole storefront
 * checkout over HTTP against a real server process, on PostgreSQL and on the
 * embedded libSQL default, and prints throughput, latency percentiles and SQL
 * statements per checkout. Not part of npm test.
 *
 *   BENCH_CONCURRENCY (16)  BENCH_DURATION (20s)  BENCH_DIALECTS (postgresql,libsql)
 *   BENCH_PG_DURABLE (on: fsync + synchronous_commit as in production)  BENCH_NODE_ARGS (extra node flags for the server)
 *   BENCH_HOT (off: buyers spread over BENCH_PRODUCTS (40) products of 2 variants; on: all buy the same 2 variants)
 *   BENCH_PAYMENT (cod | card: card pays pm_card_visa through the Stripe emulator started in this process)
 *   BENCH_GATEWAY_PROCESSES (1: the PostgreSQL server's GATEWAY_PROCESSES; statements are always counted on one)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { parseDuration } from '../../src/config';
import { freePort, startPostgresCluster, type PostgresCluster } from '../postgres-cluster';
import { prepareFixture, runCheckoutFlow, type BenchPayment, type FlowTiming } from './checkout-flow';
import { BenchClient, readCounter } from './graphql-client';
import { startStripeEmulator, type StripeEmulator } from '../stripe-emulator';
import { formatMs, percentile } from './stats';

const ADMIN = { email: 'bench-admin@tillgate.local', password: 'bench-admin-password' };
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const durationMs = parseDuration('BENCH_DURATION', process.env.BENCH_DURATION ?? '20s');
const dialects = (process.env.BENCH_DIALECTS ?? 'postgresql,libsql').split(',');
const durablePg = (process.env.BENCH_PG_DURABLE ?? 'on') !== 'off';
const hot = (process.env.BENCH_HOT ?? 'off') === 'on';
const products = hot ? 1 : Number(process.env.BENCH_PRODUCTS ?? 40);
const payment: BenchPayment = process.env.BENCH_PAYMENT === 'card' ? 'card' : 'cod';
const gatewayProcesses = process.env.BENCH_GATEWAY_PROCESSES ?? '1';
const STRIPE_SECRET_KEY = 'sk_test_bench';
const STRIPE_WEBHOOK_SECRET = 'whsec_bench_webhook_secret';

interface ServerHandle { url: string; stop(): Promise<void> }

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

/** For the CARD variant: an emulator whose webhooks go to the server under test. */
async function startStripeIfNeeded(): Promise<{ env: Record<string, string>; emulator: StripeEmulator } | null> {
  if (payment !== 'card') return null;
  const emulator = await startStripeEmulator({ port: 0, webhookSecret: STRIPE_WEBHOOK_SECRET });
  return { emulator, env: { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE: emulator.url } };
}

async function startServer(env: Record<string, string>): Promise<ServerHandle> {
  const stripe = await startStripeIfNeeded();
  const port = await freePort();
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, resolve(__dirname, '..', '..', 'src', 'main.js')], {
    env: {
      ...process.env, ...env, ...stripe?.env, PORT: String(port), ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password,
      DEMO_DATA: 'off', LOG_LEVEL: 'error', AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child);
  stripe?.emulator.setWebhookUrl(`${url}/webhooks/stripe`);
  return {
    url,
    stop: async () => {
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
      await stripe?.emulator.close();
    },
  };
}

async function logInAdmin(client: BenchClient): Promise<BenchClient> {
  const data = await client.request(`mutation($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token } } }`, { input: ADMIN });
  return client.withToken(data.logIn.token);
}

/**
 * SQL statements per checkout, from a server of its own with statement
 * counting on: the counting goes through MikroORM's query logger, which
 * formats every statement, and would slow the timed run down.
 */
async function statementsPerCheckout(start: (env: Record<string, string>) => Promise<ServerHandle>): Promise<number> {
  // One process: each keeps its own counter, and /metrics answers from whichever takes the connection.
  const server = await start({ SQL_STATEMENT_METRICS: 'on', GATEWAY_PROCESSES: '1' });
  try {
    const anonymous = new BenchClient(server.url);
    const fixture = await prepareFixture(await logInAdmin(anonymous), { stock: 10_000_000, products, payment });
    for (let i = 0; i < 5; i++) await runCheckoutFlow(anonymous, fixture, i);
    const before = await readCounter(server.url, 'sql_statements_total');
    const flows = 20;
    for (let i = 0; i < flows; i++) await runCheckoutFlow(anonymous, fixture, 100 + i);
    return ((await readCounter(server.url, 'sql_statements_total')) - before) / flows;
  } finally {
    await server.stop();
  }
}

async function measure(label: string, start: (env: Record<string, string>) => Promise<ServerHandle>): Promise<void> {
  const server = await start({});
  const run = await timedRun(server).finally(() => server.stop());
  report(label, { ...run, statements: await statementsPerCheckout(start) });
}

async function timedRun(server: ServerHandle): Promise<{ timings: FlowTiming[]; failures: number; elapsedS: number }> {
  const anonymous = new BenchClient(server.url);
  const fixture = await prepareFixture(await logInAdmin(anonymous), { stock: 10_000_000, products, payment });
  let buyer = 0;
  for (let i = 0; i < 20; i++) await runCheckoutFlow(anonymous, fixture, buyer++); // warm-up

  const timings: FlowTiming[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      try {
        timings.push(await runCheckoutFlow(anonymous, fixture, buyer++));
      } catch (error) {
        failures++;
        if (failures <= 3) console.error(`  flow failed: ${(error as Error).message}`);
      }
    }
  }));
  return { timings, failures, elapsedS: (performance.now() - started) / 1000 };
}

function report(label: string, run: { timings: FlowTiming[]; failures: number; elapsedS: number; statements: number }): void {
  const { timings, failures, elapsedS, statements } = run;
  const flows = timings.map((t) => t.flowMs);
  const confirms = timings.map((t) => t.confirmMs);
  const shape = `${hot ? 'hot: every buyer takes the same 2 variants' : `spread over ${products} products`}, ${payment.toUpperCase()}`;
  console.log(`\n${label}: ${concurrency} concurrent customers for ${(durationMs / 1000).toFixed(0)} s (${shape})`);
  console.log(`  checkouts/s          ${(timings.length / elapsedS).toFixed(1)}  (${timings.length} placed, ${failures} failed)`);
  console.log(`  flow     p50/p95/p99 ${formatMs(percentile(flows, 50))} / ${formatMs(percentile(flows, 95))} / ${formatMs(percentile(flows, 99))}`);
  console.log(`  confirm  p50/p95/p99 ${formatMs(percentile(confirms, 50))} / ${formatMs(percentile(confirms, 95))} / ${formatMs(percentile(confirms, 99))}`);
  console.log(`  SQL statements per checkout (whole flow, 8 requests; counted in a separate sequential pass) ${statements.toFixed(1)}`);
}

async function benchPostgres(): Promise<void> {
  let cluster: PostgresCluster | null = null;
  try {
    cluster = await startPostgresCluster({ durable: durablePg });
    const admin = new Client({ connectionString: cluster.urlFor('postgres') });
    await admin.connect();
    await admin.query('create database tillgate_bench');
    await admin.end();
    const databaseUrl = cluster.urlFor('tillgate_bench');
    const label = `PostgreSQL (${durablePg ? 'fsync on, synchronous_commit on' : 'fsync off'}, ${gatewayProcesses} gateway process${gatewayProcesses === '1' ? '' : 'es'})`;
    await measure(label, (env) => startServer({ GATEWAY_PROCESSES: gatewayProcesses, ...env, DATABASE_URL: databaseUrl }));
  } finally {
    cluster?.stop();
  }
}

async function benchLibsql(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillgate-bench-'));
  try {
    await measure('embedded libSQL file', (env) => startServer({ ...env, DATA_DIR: dataDir, DATABASE_URL: '' }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`Tillgate checkout benchmark on ${require('node:os').cpus().length} cores, Node ${process.version}`);
  if (dialects.includes('postgresql')) await benchPostgres();
  if (dialects.includes('libsql')) await benchLibsql();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
