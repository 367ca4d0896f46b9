/**
 * One table per database kind: a row per measure, a column per build (the
 * baseline first, when there is one), and new/old, so that old and new read
 * side by side from one run.
 */
import { cpus } from 'node:os';
import type { CatalogGetLoads, ReadLoad } from './catalog-phases';
import { FLOW_REQUESTS } from './checkout-flow';
import { documentFloodFigures, type DocumentFlood } from './document-flood';
import type { TimedCheckouts } from './phases';
import type { Build } from './server';
import { percentile } from './stats';
import type { FlowStatements, StatementFigures } from './statements';

interface Row {
  key: string;
  label: string;
  digits: number;
}

/** The two checkout phases: signed-in buyers (the main one) and guests. */
export type CheckoutPhase = 'signedIn' | 'guest';

function checkoutRows(phase: CheckoutPhase, who: string): Row[] {
  const row = (name: string, label: string, digits: number): Row => ({ key: `${phase}:${name}`, label, digits });
  return [
    row('checkoutsPerS', `${who}: checkouts/s`, 1),
    row('placed', '  placed in the timed run', 0),
    row('failed', '  failed flows', 0),
    row('flowP50', '  flow p50 ms', 1),
    row('flowP95', '  flow p95 ms', 1),
    row('flowP99', '  flow p99 ms', 1),
    row('confirmP50', '  confirm p50 ms', 1),
    row('confirmP99', '  confirm p99 ms', 1),
    row('cpuPerCheckout', '  gateway CPU per checkout ms', 1),
    row('databaseCpu', '  PostgreSQL CPU per checkout ms', 1),
    row('loadCpu', '  load generator CPU per checkout ms', 1),
    row('cpuCeiling', '  CPU ceiling checkouts/s (cores / all three)', 1),
    row('sqlPerCheckout', '  SQL per checkout (8 requests)', 0),
  ];
}

function readRows(key: string, label: string, unit: string): Row[] {
  return [
    { key: `${key}PerS`, label, digits: 1 },
    { key: `${key}Cpu`, label: `  gateway CPU per ${unit} ms`, digits: 2 },
    { key: `${key}DatabaseCpu`, label: `  PostgreSQL CPU per ${unit} ms`, digits: 2 },
    { key: `${key}LoadCpu`, label: `  load generator CPU per ${unit} ms`, digits: 2 },
    { key: `${key}Ceiling`, label: `  CPU ceiling ${unit}s/s (cores / all three)`, digits: 1 },
  ];
}

const ROWS: Row[] = [
  ...checkoutRows('signedIn', 'signed-in buyers'),
  ...FLOW_REQUESTS.map((request) => ({ key: `signedIn:sql:${request}`, label: `  SQL ${request}`, digits: 0 })),
  ...checkoutRows('guest', 'guests'),
  { key: 'rssStart', label: 'gateway RSS at start MB', digits: 1 },
  { key: 'rssEnd', label: 'gateway RSS after the checkouts MB', digits: 1 },
  { key: 'sqlBackground', label: 'SQL background per checkout', digits: 1 },
  { key: 'sqlOutside', label: '  of which counted between requests', digits: 1 },
  { key: 'sqlAll', label: 'SQL per signed-in checkout, with background', digits: 1 },
  { key: 'sqlIdle', label: 'SQL idle background per s', digits: 1 },
  ...readRows('read', 'catalog POST products(first: 50) req/s', 'read'),
  { key: 'readSql', label: '  SQL per read', digits: 0 },
  ...readRows('catalogGet', 'catalog GET by hash, uncached, req/s', 'read'),
  ...readRows('notModified', 'catalog GET with If-None-Match, 304/s', '304'),
  ...readRows('kept', 'catalog GET repeated (kept by the gateway), req/s', 'read'),
  { key: 'mutationP50', label: 'small cart mutation p50 ms at c=1', digits: 2 },
  { key: 'mutationP95', label: 'small cart mutation p95 ms at c=1', digits: 2 },
  { key: 'typenameP50', label: '{ __typename } p50 ms alone', digits: 2 },
  { key: 'typenameP95', label: '{ __typename } p95 ms alone', digits: 2 },
  { key: 'oversizedP50', label: '  p50 ms while 4 send 270 KB documents', digits: 2 },
  { key: 'oversizedP95', label: '  p95 ms while 4 send 270 KB documents', digits: 2 },
  { key: 'oversizedPerS', label: '    270 KB documents answered/s', digits: 1 },
  { key: 'craftedP50', label: '  p50 ms while 4 send 5,000-token documents', digits: 2 },
  { key: 'craftedP95', label: '  p95 ms while 4 send 5,000-token documents', digits: 2 },
  { key: 'craftedPerS', label: '    5,000-token documents answered/s', digits: 1 },
];

export interface BuildResult {
  build: Build;
  figures: Map<string, number>;
  /** Correctness problems; empty = OK. */
  problems: string[];
}

/** What the machine could serve per second if CPU were the only limit: cores x 1 s over everyone's CPU per unit (no database process on libSQL). */
function cpuCeiling(gatewayMs: number, databaseMs: number, loadMs: number): number {
  return (cpus().length * 1000) / (gatewayMs + (Number.isNaN(databaseMs) ? 0 : databaseMs) + loadMs);
}

/** One read phase's rows under `key` (readRows). */
function loadFigures(key: string, read: ReadLoad): [string, number][] {
  return [
    [`${key}PerS`, read.requests / read.elapsedS],
    [`${key}Cpu`, read.cpuMsPerRequest],
    [`${key}DatabaseCpu`, read.databaseCpuMsPerRequest],
    [`${key}LoadCpu`, read.loadCpuMsPerRequest],
    [`${key}Ceiling`, cpuCeiling(read.cpuMsPerRequest, read.databaseCpuMsPerRequest, read.loadCpuMsPerRequest)],
  ];
}

/** The catalog's read phases (all a BENCH_READ_ONLY run has); a phase that did not run has no rows. */
export function readFigures(read: ReadLoad, catalog: CatalogGetLoads | null): [string, number][] {
  return [
    ...loadFigures('read', read),
    ...(catalog ? loadFigures('catalogGet', catalog.uncached) : []),
    ...(catalog?.revalidated ? loadFigures('notModified', catalog.revalidated) : []),
    ...(catalog?.kept ? loadFigures('kept', catalog.kept) : []),
  ];
}

function checkoutFigures(phase: CheckoutPhase, run: TimedCheckouts, sql: FlowStatements): [string, number][] {
  const flows = run.timings.map((t) => t.flowMs);
  const confirms = run.timings.map((t) => t.confirmMs);
  const figures: [string, number][] = [
    ['checkoutsPerS', run.timings.length / run.elapsedS],
    ['placed', run.timings.length],
    ['failed', run.failures],
    ['flowP50', percentile(flows, 50)],
    ['flowP95', percentile(flows, 95)],
    ['flowP99', percentile(flows, 99)],
    ['confirmP50', percentile(confirms, 50)],
    ['confirmP99', percentile(confirms, 99)],
    ['cpuPerCheckout', run.cpuMsPerCheckout],
    ['databaseCpu', run.databaseCpuMsPerCheckout],
    ['loadCpu', run.loadCpuMsPerCheckout],
    ['cpuCeiling', cpuCeiling(run.cpuMsPerCheckout, run.databaseCpuMsPerCheckout, run.loadCpuMsPerCheckout)],
    ['sqlPerCheckout', sql.perCheckout],
    ...[...sql.perRequest].map(([request, count]): [string, number] => [`sql:${request}`, count]),
  ];
  return figures.map(([name, value]) => [`${phase}:${name}`, value]);
}

export interface MeasuredPhases {
  signedIn: TimedCheckouts;
  guests: TimedCheckouts;
  read: ReadLoad;
  catalog: CatalogGetLoads | null;
  mutations: number[];
  sql: StatementFigures;
  documents: DocumentFlood;
}

export function collectFigures(phases: MeasuredPhases): Map<string, number> {
  const { signedIn, guests, read, catalog, mutations, sql, documents } = phases;
  return new Map<string, number>([
    ...checkoutFigures('signedIn', signedIn, sql.signedIn),
    ...checkoutFigures('guest', guests, sql.guest),
    ['rssStart', signedIn.rssStart.totalMb],
    ['rssEnd', guests.rssEnd.totalMb],
    ['sqlBackground', sql.backgroundPerCheckout],
    ['sqlOutside', sql.outsideRequestsPerCheckout],
    // Every statement a signed-in flow costs, the workers' included: the figure to compare a change by when it moves work into the background.
    ['sqlAll', sql.signedIn.perCheckout + sql.backgroundPerCheckout],
    ['sqlIdle', sql.idlePerS],
    ...readFigures(read, catalog),
    ['readSql', sql.productsRead],
    ['mutationP50', percentile(mutations, 50)],
    ['mutationP95', percentile(mutations, 95)],
    ...documentFloodFigures(documents),
  ]);
}

const format = (value: number | undefined, digits: number): string => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits));

export function printTable(title: string, results: BuildResult[], details: string[]): void {
  console.log(`\n${title}`);
  for (const line of details) console.log(`  ${line}`);
  const width = 46;
  const column = Math.max(14, ...results.map((r) => r.build.label.length + 2));
  const header = results.map((r) => r.build.label.padStart(column)).join('') + (results.length === 2 ? 'new/old'.padStart(10) : '');
  console.log(`  ${'measure'.padEnd(width)}${header}`);
  for (const row of ROWS) {
    const values = results.map((r) => r.figures.get(row.key));
    // A read-only run has no checkout rows: they are left out rather than printed as n/a.
    if (values.every((value) => value === undefined)) continue;
    let line = `  ${row.label.padEnd(width)}${values.map((v) => format(v, row.digits).padStart(column)).join('')}`;
    if (results.length === 2) {
      const [old, current] = values;
      const ratio = old !== undefined && current !== undefined && old > 0 && Number.isFinite(current) ? `${(current / old).toFixed(2)}x` : '';
      line += ratio.padStart(10);
    }
    console.log(line);
  }
  for (const result of results) {
    const verdict = result.problems.length === 0 ? 'OK' : `MISMATCH\n${result.problems.map((p) => `      ${p}`).join('\n')}`;
    console.log(`  correctness ${result.build.label}: ${verdict}`);
  }
}

/** min-max of each request's count, when a worker tick landed inside some of them. */
export function statementRanges(label: string, sql: StatementFigures): string | null {
  const spread = ([who, flows]: [string, FlowStatements]) =>
    [...flows.ranges].filter(([, [min, max]]) => min !== max).map(([request, [min, max]]) => `${who} ${request} ${min}-${max}`);
  const all = (
    [
      ['signed in', sql.signedIn],
      ['guest', sql.guest],
    ] as [string, FlowStatements][]
  ).flatMap(spread);
  return all.length === 0 ? null : `${label}: per-request counts varied (background inside requests; the table shows medians): ${all.join(', ')}`;
}
