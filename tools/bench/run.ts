/**
 * npm run bench: drives N concurrent virtual customers through the whole storefront
 * checkout over HTTP against a real server process, on PostgreSQL and on the
 * embedded libSQL default: first N signed-in buyers (each signs up once, then
 * checks out with its token), then N guests; then the catalog read phases (POST,
 * persisted GET, GET revalidated with If-None-Match, the same GET kept by the gateway) and a small cart mutation at
 * one customer; then counts SQL statements in a separate sequential pass; then
 * checks the database. Not part of npm test.
 *
 *   BENCH_CONCURRENCY (16)  BENCH_DURATION (20s: signed-in buyers)  BENCH_GUEST_DURATION (10s: guests)  BENCH_DIALECTS (postgresql,libsql)
 *   BENCH_BASELINE (a git ref, e.g. fb245c7: built in a temporary worktree and run back to back with the working tree)
 *   BENCH_ROUNDS (1: with a baseline, 2 or more measure both builds that many times in alternating order; figures are medians)
 *   BENCH_READ_DURATION (5s: each catalog read phase, products(first: 50) at c=16)  BENCH_READ_ONLY (on: only the catalog and its read
 *     phases, e.g. against a baseline older than the storefront documents)
 *   BENCH_SOAK (e.g. 10m: instead of the comparison, the checkout load on the working tree for that long, RSS every
 *     BENCH_SOAK_SAMPLE (30s), flat = the mean RSS of the last third of the samples within 10% of the first third's, after BENCH_SOAK_WARMUP (60s))
 *   BENCH_PG_DURABLE (on: fsync + synchronous_commit as in production)  BENCH_NODE_ARGS (extra node flags for the server)
 *   BENCH_HOT (off: buyers spread over BENCH_PRODUCTS (40) products of 2 variants; on: all buy the same 2 variants)
 *   BENCH_PAYMENT (cod | card: card pays pm_card_visa through the Stripe emulator started in this process)
 *   BENCH_GATEWAY_PROCESSES (1: the PostgreSQL server's GATEWAY_PROCESSES; statements are always counted on one)
 *   BENCH_RENEWALS (200: subscriptions in the renewal phase, on the working tree; 0 leaves it out)  BENCH_RENEWAL_DURATION (10s; renewals.ts)
 *   BENCH_DOCUMENTS_DURATION (5s: { __typename } latency alone, then while four clients send 270 KB documents, then
 *     5,000-token ones; document-flood.ts)
 * Exits 1 when a correctness check finds a mismatch (or a build could not be measured).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { parseDuration } from '../../src/config';
import { startPostgresCluster, type PostgresCluster } from '../postgres-cluster';
import { describeWorkingTree, prepareBaseline, type BaselineBuild } from './baseline';
import { catalogGetLoads, readLoad, warmCatalogGet, type CatalogGetLoads, type ReadOptions } from './catalog-phases';
import { newLedger, prepareFixture, prepareReadCatalog, signUpShoppers, type DatabaseLedger } from './checkout-flow';
import { checkCorrectness, type Database } from './correctness';
import { documentFlood, FLOODING_CLIENTS } from './document-flood';
import { guests, smallMutationLatencies, SMALL_MUTATIONS, soak, timedCheckouts, warmUp, WARM_UP_FLOWS } from './phases';
import { collectFigures, printTable, readFigures, statementRanges, type BuildResult } from './report';
import { BenchClient } from './graphql-client';
import { killRunningServers, logInAdmin, startServer, type BenchPayment, type Build, type ServerHandle } from './server';
import { renewalPhase } from './renewals';
import { countStatements } from './statements';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const durationMs = parseDuration('BENCH_DURATION', process.env.BENCH_DURATION ?? '20s');
const guestDurationMs = parseDuration('BENCH_GUEST_DURATION', process.env.BENCH_GUEST_DURATION ?? '10s');
const readDurationMs = parseDuration('BENCH_READ_DURATION', process.env.BENCH_READ_DURATION ?? '5s');
const documentsDurationMs = parseDuration('BENCH_DOCUMENTS_DURATION', process.env.BENCH_DOCUMENTS_DURATION ?? '5s');
const dialects = (process.env.BENCH_DIALECTS ?? 'postgresql,libsql').split(',').map((d) => d.trim());
const durablePg = (process.env.BENCH_PG_DURABLE ?? 'on') !== 'off';
const hot = (process.env.BENCH_HOT ?? 'off') === 'on';
const products = hot ? 1 : Number(process.env.BENCH_PRODUCTS ?? 40);
const payment: BenchPayment = process.env.BENCH_PAYMENT === 'card' ? 'card' : 'cod';
const gatewayProcesses = process.env.BENCH_GATEWAY_PROCESSES ?? '1';
const baselineRef = process.env.BENCH_BASELINE?.trim() || null;
const soakMs = process.env.BENCH_SOAK ? parseDuration('BENCH_SOAK', process.env.BENCH_SOAK) : null;
const soakSampleMs = parseDuration('BENCH_SOAK_SAMPLE', process.env.BENCH_SOAK_SAMPLE ?? '30s');
const soakWarmUpMs = parseDuration('BENCH_SOAK_WARMUP', process.env.BENCH_SOAK_WARMUP ?? '60s');
const READ_CONCURRENCY = 16;
/** Only the catalog read phase: a baseline whose API predates the storefront documents (e.g. fb245c7) can still be compared on it. */
const readOnly = process.env.BENCH_READ_ONLY === 'on';
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const STOCK = 10_000_000;
// Disjoint flow numbers per phase: every guest cart has its own email.
const BUYERS = { timed: WARM_UP_FLOWS, guests: 500_000, mutation: 1_000_000, counting: 2_000_000 };

const repo = resolve(__dirname, '..', '..', '..');
const workingTree: Build = { label: describeWorkingTree(repo), root: repo };

/** Synchronous cleanups (PostgreSQL cluster, baseline worktree, data dirs), also run on Ctrl-C, when finally blocks do not. */
const cleanups = new Set<() => void>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunningServers();
    for (const cleanup of cleanups) cleanup();
    process.exit(130);
  });
}

interface DatabaseKind {
  title: string;
  /** A fresh, empty database for one build: builds never share one (their migrations may differ). */
  create(index: number): Promise<{ env: Record<string, string>; database: Database }>;
  /** The database server's own process, when it runs apart from the gateway (its CPU is measured). */
  serverPid(): number | null;
  close(): void;
}

async function postgresKind(): Promise<DatabaseKind> {
  const cluster: PostgresCluster = await startPostgresCluster({ durable: durablePg });
  const stop = () => cluster.stop();
  cleanups.add(stop);
  return {
    title: `PostgreSQL (${durablePg ? 'fsync on, synchronous_commit on' : 'fsync off'}, ${gatewayProcesses} gateway process${gatewayProcesses === '1' ? '' : 'es'})`,
    async create(index) {
      const admin = new Client({ connectionString: cluster.urlFor('postgres') });
      await admin.connect();
      await admin.query(`create database tillgate_bench_${index}`).finally(() => admin.end());
      const url = cluster.urlFor(`tillgate_bench_${index}`);
      return { env: { GATEWAY_PROCESSES: gatewayProcesses, DATABASE_URL: url }, database: { kind: 'postgresql', url } };
    },
    serverPid: () => cluster.serverPid(),
    close() {
      cleanups.delete(stop);
      stop();
    },
  };
}

function libsqlKind(): DatabaseKind {
  const dirs: string[] = [];
  const removeAll = () => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  cleanups.add(removeAll);
  return {
    title: 'embedded libSQL file',
    async create() {
      const dataDir = mkdtempSync(join(tmpdir(), 'tillgate-bench-'));
      dirs.push(dataDir);
      return { env: { DATA_DIR: dataDir, DATABASE_URL: '' }, database: { kind: 'libsql', file: join(dataDir, 'tillgate.db') } };
    },
    serverPid: () => null,
    close() {
      cleanups.delete(removeAll);
      removeAll();
    },
  };
}

/** The persisted GET phases; a build that cannot answer them (an old baseline) reports why instead of failing the run. */
async function catalogGetPhases(server: ServerHandle, options: ReadOptions, label: string, details: string[]): Promise<CatalogGetLoads | null> {
  try {
    const catalog = await catalogGetLoads(server, options, label);
    details.push(catalog.note);
    return catalog;
  } catch (error) {
    details.push(`${label}: no catalog GET phases: ${(error as Error).message}`);
    return null;
  }
}

/** The phases with statement counting off, on one server: fixture, warm-up, checkouts (signed in, then guests), reads, small mutations, large documents. */
async function timedPhases(server: ServerHandle, ledger: DatabaseLedger, databasePid: number | null, label: string, details: string[]) {
  const admin = await logInAdmin(server.url);
  await prepareReadCatalog(admin, ledger);
  const fixture = await prepareFixture(admin, ledger, { stock: STOCK, products, payment });
  const buyers = await signUpShoppers(new BenchClient(server.url, null, server.fit), concurrency, 'timed');
  await warmCatalogGet(server);
  await warmUp([buyers[0], ...guests(server, 1)], fixture, WARM_UP_FLOWS, 0);
  const signedIn = await timedCheckouts(server, buyers, fixture, { durationMs, firstBuyer: BUYERS.timed, databasePid });
  const guestRun = await timedCheckouts(server, guests(server, concurrency), fixture, { durationMs: guestDurationMs, firstBuyer: BUYERS.guests, databasePid });
  const readOptions = { concurrency: READ_CONCURRENCY, durationMs: readDurationMs, databasePid };
  const read = await readLoad(server, readOptions);
  const catalog = await catalogGetPhases(server, readOptions, label, details);
  const mutations = await smallMutationLatencies(server, fixture, BUYERS.mutation);
  const documents = await documentFlood(server, documentsDurationMs);
  return { fixture, signedIn, guests: guestRun, read, catalog, mutations, documents };
}

/** BENCH_READ_ONLY: the catalog and its read phases, nothing else. */
async function measureReads(build: Build, kind: DatabaseKind, index: number, details: string[]): Promise<BuildResult> {
  const { env } = await kind.create(index);
  try {
    const server = await startServer(build, payment, env);
    const { read, catalog } = await (async () => {
      await prepareReadCatalog(await logInAdmin(server.url), newLedger());
      const readOptions = { concurrency: READ_CONCURRENCY, durationMs: readDurationMs, databasePid: kind.serverPid() };
      return { read: await readLoad(server, readOptions), catalog: await catalogGetPhases(server, readOptions, build.label, details) };
    })().finally(() => server.stop());
    const failures = [read, catalog?.uncached, catalog?.revalidated, catalog?.kept].reduce((sum, load) => sum + (load?.failures ?? 0), 0);
    return { build, figures: new Map(readFigures(read, catalog)), problems: failures > 0 ? [`${failures} reads failed`] : [] };
  } catch (error) {
    console.error(`  ${build.label} on ${kind.title}: ${(error as Error).stack ?? error}`);
    return { build, figures: new Map(), problems: [`could not be measured: ${(error as Error).message}`] };
  }
}

/** Every phase for one build on its own database; a build that cannot be measured reports why instead. */
async function measureBuild(build: Build, kind: DatabaseKind, index: number, details: string[]): Promise<BuildResult> {
  const { env, database } = await kind.create(index);
  const ledger = newLedger();
  const problems: string[] = [];
  try {
    const server = await startServer(build, payment, env);
    const { fixture, ...phases } = await timedPhases(server, ledger, kind.serverPid(), build.label, details).finally(() => server.stop());
    problems.push(...(await checkCorrectness(database, ledger)).map((p) => `after the timed run: ${p}`));
    details.push(`${build.label}: ${phases.signedIn.rssStart.processes} gateway process(es) at start, ${phases.guests.rssEnd.processes} at end`);
    const { oversized, crafted } = phases.documents;
    details.push(`${build.label}: large documents answered: 270 KB ${oversized.statuses}; 5,000 tokens ${crafted.statuses}`);

    // Statement counting: the same database and fixture, a server of its own with the counter on.
    const counting = await startServer(build, payment, { ...env, SQL_STATEMENT_METRICS: 'on', GATEWAY_PROCESSES: '1' });
    const sql = await countStatements(counting, fixture, BUYERS.counting).finally(() => counting.stop());
    if (!sql.counted) details.push(`${build.label}: no sql_statements_total on /metrics, statements not counted`);
    const ranges = statementRanges(build.label, sql);
    if (ranges) details.push(ranges);
    problems.push(...(await checkCorrectness(database, ledger)).map((p) => `after the counting pass: ${p}`));
    return { build, figures: collectFigures({ ...phases, sql }), problems };
  } catch (error) {
    console.error(`  ${build.label} on ${kind.title}: ${(error as Error).stack ?? error}`);
    return { build, figures: new Map(), problems: [...problems, `could not be measured: ${(error as Error).message}`] };
  }
}

async function compare(kind: DatabaseKind, builds: Build[]): Promise<BuildResult[]> {
  const details = [
    `${concurrency} signed-in buyers (each signed up once, then checking out with its token) for ${(durationMs / 1000).toFixed(0)} s, ` +
      `then ${concurrency} guests for ${(guestDurationMs / 1000).toFixed(0)} s, after ${WARM_UP_FLOWS} warm-up flows ` +
      `(${hot ? 'hot: every buyer takes the same 2 variants' : `spread over ${products} products`}, ${payment.toUpperCase()})`,
    `reads: products(first: 50) with seller, variants, prices, availability, c=${READ_CONCURRENCY} for ${(readDurationMs / 1000).toFixed(0)} s each: ` +
      "POSTed as text; GET by its persisted hash (the client package); that GET with the first answer's ETag in If-None-Match; " +
      'that GET again without it (a second visitor: the answer the gateway keeps for its max-age)',
    `small mutation: setShippingAddress on a guest's 2-line cart, ${SMALL_MUTATIONS} in a row`,
    'SQL: medians over 20 sequential flows of each kind on a server with SQL_STATEMENT_METRICS=on; background = from the first flow until the workers are quiet, idle ticks removed',
    `documents: { __typename } one at a time for ${(documentsDurationMs / 1000).toFixed(0)} s alone, then as long while ${FLOODING_CLIENTS} clients ` +
      'each send, one after another, the 270 KB document of 90,000 tokens, then distinct 5,000-token documents that fail only after full validation',
  ];
  const runs = new Map<Build, BuildResult[]>(builds.map((build) => [build, []]));
  try {
    // The build measured first runs on a machine in another state (just after the builds, a colder database): with
    // several rounds the order alternates (A B, B A, …) and each figure is the median over the rounds.
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? builds : [...builds].reverse();
      for (const build of order) {
        const index = round * builds.length + builds.indexOf(build);
        console.log(`  measuring ${build.label} on ${kind.title}${rounds > 1 ? ` (round ${round + 1} of ${rounds})` : ''} ...`);
        runs.get(build)!.push(readOnly ? await measureReads(build, kind, index, details) : await measureBuild(build, kind, index, details));
      }
    }
  } finally {
    kind.close();
  }
  if (rounds > 1) details.push(`${rounds} rounds in alternating order; each figure is the median over the rounds`);
  const results = builds.map((build) => medianResult(runs.get(build)!));
  printTable(kind.title, results, details);
  return results;
}

/** One build's rounds as one result: every figure's median, every round's problems. */
function medianResult(rounds: BuildResult[]): BuildResult {
  if (rounds.length === 1) return rounds[0]!;
  const figures = new Map<string, number>();
  for (const name of rounds[0]!.figures.keys()) {
    const values = rounds
      .map((round) => round.figures.get(name))
      .filter((value): value is number => value !== undefined)
      .sort((a, b) => a - b);
    const middle = Math.floor(values.length / 2);
    if (values.length > 0) figures.set(name, values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2);
  }
  return { build: rounds[0]!.build, figures, problems: rounds.flatMap((round) => round.problems) };
}

/**
 * Whether RSS stays flat after warm-up: the mean of the last third of the
 * samples against the mean of the first third, within 10%. Single samples
 * swing with each garbage collection (a sawtooth of tens of MB); a leak shows
 * as a rising mean.
 */
function rssTrend(samples: readonly { rss: { totalMb: number } }[]): string {
  if (samples.length < 3) return 'RSS trend: too few samples after warm-up';
  const third = Math.floor(samples.length / 3);
  const mean = (part: readonly { rss: { totalMb: number } }[]) => part.reduce((sum, s) => sum + s.rss.totalMb, 0) / part.length;
  const early = mean(samples.slice(0, third));
  const late = mean(samples.slice(-third));
  const change = (late - early) / early;
  return (
    `RSS ${Math.abs(change) <= 0.1 ? 'flat' : 'NOT flat'}: mean of the last third ${late.toFixed(1)} MB against the first third ` +
    `${early.toFixed(1)} MB after warm-up (${(change * 100).toFixed(1)}%; the limit is 10%)`
  );
}

async function soakOn(kind: DatabaseKind): Promise<string[]> {
  try {
    const { env, database } = await kind.create(0);
    const ledger = newLedger();
    const server = await startServer(workingTree, payment, env);
    const result = await (async () => {
      const fixture = await prepareFixture(await logInAdmin(server.url), ledger, { stock: STOCK, products, payment });
      const buyers = await signUpShoppers(new BenchClient(server.url, null, server.fit), concurrency, 'soak');
      await warmCatalogGet(server);
      await warmUp(buyers, fixture, WARM_UP_FLOWS, 0);
      console.log(`\nSoak on ${kind.title}: ${concurrency} signed-in buyers for ${(soakMs! / 1000).toFixed(0)} s, RSS every ${soakSampleMs / 1000} s`);
      return soak(server, buyers, fixture, { durationMs: soakMs!, sampleEveryMs: soakSampleMs, firstBuyer: BUYERS.timed });
    })().finally(() => server.stop());
    // Checked before kind.close(): the libSQL file goes with its directory.
    const problems = await checkCorrectness(database, ledger);
    console.log(`  ${result.timings.length} checkouts (${(result.timings.length / result.elapsedS).toFixed(1)}/s), ${result.failures} failed`);
    for (const sample of result.samples)
      console.log(`  ${sample.atS.toFixed(0).padStart(6)} s  ${sample.rss.totalMb.toFixed(1)} MB (${sample.rss.processes} process(es))`);
    console.log(`  ${rssTrend(result.samples.filter((s) => s.atS * 1000 >= soakWarmUpMs))}`);
    console.log(`  correctness: ${problems.length === 0 ? 'OK' : `MISMATCH\n${problems.map((p) => `    ${p}`).join('\n')}`}`);
    return problems;
  } finally {
    kind.close();
  }
}

async function main(): Promise<number> {
  console.log(`Tillgate checkout benchmark on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`);
  const kinds: (() => Promise<DatabaseKind>)[] = [];
  if (dialects.includes('postgresql')) kinds.push(postgresKind);
  if (dialects.includes('libsql')) kinds.push(async () => libsqlKind());
  let failed = false;

  if (soakMs !== null) {
    for (const kind of kinds) failed = (await soakOn(await kind())).length > 0 || failed;
    return failed ? 1 : 0;
  }

  let baseline: BaselineBuild | null = null;
  try {
    if (baselineRef) {
      baseline = prepareBaseline(repo, baselineRef);
      cleanups.add(baseline.remove);
    }
    const builds = baseline ? [baseline, workingTree] : [workingTree];
    for (const kind of kinds) {
      for (const result of await compare(await kind(), builds)) failed = result.problems.length > 0 || failed;
    }
    const renewals = Number(process.env.BENCH_RENEWALS ?? 200);
    const renewalMs = parseDuration('BENCH_RENEWAL_DURATION', process.env.BENCH_RENEWAL_DURATION ?? '10s');
    for (const kind of renewals > 0 && !readOnly ? kinds : [])
      failed = (await renewalPhase(await kind(), workingTree, renewals, renewalMs)).problems.length > 0 || failed;
  } finally {
    if (baseline) {
      cleanups.delete(baseline.remove);
      baseline.remove();
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    killRunningServers();
    for (const cleanup of cleanups) cleanup();
    process.exit(1);
  },
);
