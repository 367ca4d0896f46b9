/**
 * One table per database kind: a row per measure, a column per build (the
 * baseline first, when there is one), and new/old, so that old and new read
 * side by side from one run.
 */
import { cpus } from 'node:os';
import { FLOW_REQUESTS } from './checkout-flow';
import { documentFloodFigures, type DocumentFlood } from './document-flood';
import type { ReadLoad, TimedCheckouts } from './phases';
import type { Build } from './server';
import { percentile } from './stats';
import type { StatementFigures } from './statements';

interface Row {
  key: string;
  label: string;
  digits: number;
}

const ROWS: Row[] = [
  { key: 'checkoutsPerS', label: 'checkouts/s', digits: 1 },
  { key: 'placed', label: '  placed in the timed run', digits: 0 },
  { key: 'failed', label: '  failed flows', digits: 0 },
  { key: 'flowP50', label: 'flow p50 ms', digits: 1 },
  { key: 'flowP95', label: 'flow p95 ms', digits: 1 },
  { key: 'flowP99', label: 'flow p99 ms', digits: 1 },
  { key: 'confirmP50', label: 'confirm p50 ms', digits: 1 },
  { key: 'confirmP99', label: 'confirm p99 ms', digits: 1 },
  { key: 'cpuPerCheckout', label: 'gateway CPU per checkout ms', digits: 1 },
  { key: 'databaseCpu', label: '  PostgreSQL CPU per checkout ms', digits: 1 },
  { key: 'loadCpu', label: '  load generator CPU per checkout ms', digits: 1 },
  { key: 'cpuCeiling', label: '  CPU ceiling checkouts/s (cores / all three)', digits: 1 },
  { key: 'rssStart', label: 'gateway RSS at start MB', digits: 1 },
  { key: 'rssEnd', label: 'gateway RSS at end MB', digits: 1 },
  ...FLOW_REQUESTS.map((request) => ({ key: `sql:${request}`, label: `SQL ${request}`, digits: 0 })),
  { key: 'sqlPerCheckout', label: 'SQL per checkout (8 requests)', digits: 0 },
  { key: 'sqlBackground', label: 'SQL background per checkout', digits: 1 },
  { key: 'sqlOutside', label: '  of which counted between requests', digits: 1 },
  { key: 'sqlAll', label: 'SQL per checkout, requests + background', digits: 1 },
  { key: 'sqlIdle', label: 'SQL idle background per s', digits: 1 },
  { key: 'readPerS', label: 'products(first: 50) req/s at c=16', digits: 1 },
  { key: 'readCpu', label: '  gateway CPU per read ms', digits: 2 },
  { key: 'readDatabaseCpu', label: '  PostgreSQL CPU per read ms', digits: 2 },
  { key: 'readLoadCpu', label: '  load generator CPU per read ms', digits: 2 },
  { key: 'readCeiling', label: '  CPU ceiling reads/s (cores / all three)', digits: 1 },
  { key: 'readSql', label: '  SQL per read', digits: 0 },
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

/** The read phase's rows (all a BENCH_READ_ONLY run has). */
export function readFigures(read: ReadLoad): [string, number][] {
  return [
    ['readPerS', read.requests / read.elapsedS],
    ['readCpu', read.cpuMsPerRequest],
    ['readDatabaseCpu', read.databaseCpuMsPerRequest],
    ['readLoadCpu', read.loadCpuMsPerRequest],
    ['readCeiling', cpuCeiling(read.cpuMsPerRequest, read.databaseCpuMsPerRequest, read.loadCpuMsPerRequest)],
  ];
}

export function collectFigures(run: TimedCheckouts, read: ReadLoad, mutations: number[], sql: StatementFigures, documents: DocumentFlood): Map<string, number> {
  const flows = run.timings.map((t) => t.flowMs);
  const confirms = run.timings.map((t) => t.confirmMs);
  const figures = new Map<string, number>([
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
    ['rssStart', run.rssStart.totalMb],
    ['rssEnd', run.rssEnd.totalMb],
    ['sqlPerCheckout', sql.perCheckout],
    ['sqlBackground', sql.backgroundPerCheckout],
    ['sqlOutside', sql.outsideRequestsPerCheckout],
    // Every statement the flows cost, the workers' included: the figure to compare a change by when it moves work into the background.
    ['sqlAll', sql.perCheckout + sql.backgroundPerCheckout],
    ['sqlIdle', sql.idlePerS],
    ...readFigures(read),
    ['readSql', sql.productsRead],
    ['mutationP50', percentile(mutations, 50)],
    ['mutationP95', percentile(mutations, 95)],
    ...documentFloodFigures(documents),
  ]);
  for (const [request, count] of sql.perRequest) figures.set(`sql:${request}`, count);
  return figures;
}

const format = (value: number | undefined, digits: number): string => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits));

export function printTable(title: string, results: BuildResult[], details: string[]): void {
  console.log(`\n${title}`);
  for (const line of details) console.log(`  ${line}`);
  const width = 40;
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
  const spread = [...sql.ranges].filter(([, [min, max]]) => min !== max).map(([request, [min, max]]) => `${request} ${min}-${max}`);
  return spread.length === 0 ? null : `${label}: per-request counts varied (background inside requests; the table shows medians): ${spread.join(', ')}`;
}
