/**
 * The oversized-document phase: `{ __typename }` latency at one client, alone,
 * then while four other clients keep sending a large document each (one after
 * another, each waiting for its answer):
 *
 * - the 270 KB document of 90,000 tokens seen in the attack (issue 20):
 *   `products(first: 1) { nodes { id id … } }`;
 * - a crafted one of 5,000 tokens, under the default token limit: 50 aliased
 *   pages of 87 ids each, which graphql-js must compare pairwise to validate
 *   (OverlappingFieldsCanBeMerged), and an unknown field at the end, so that
 *   it is refused after full validation and nothing runs. Each request differs
 *   (its aliases are numbered), so no cache of validated documents helps.
 *
 * What the probe's latency shows is what one document costs the event loop
 * that every other request shares.
 */
import { lightFetch } from './graphql-client';
import type { ServerHandle } from './server';
import { percentile } from './stats';

export const FLOODING_CLIENTS = 4;

export interface FloodRun {
  /** The probe's latencies, ms. */
  latencies: number[];
  /** Large documents answered, per second, and their statuses (e.g. "400 x 120"). */
  answeredPerS: number;
  statuses: string;
}

export interface DocumentFlood {
  alone: number[];
  oversized: FloodRun;
  crafted: FloodRun;
}

const OVERSIZED = JSON.stringify({ query: `{ products(first: 1) { nodes { ${'id '.repeat(90_000)}} } }` });

/** Exactly 5,000 tokens: 2 around it all, 13 around each page's ids, 4,347 ids (87 a page, 84 on the last) and `unknownField`. */
function craftedDocument(serial: number): string {
  const pages = Array.from({ length: 50 }, (_, page) => `p${serial}_${page}: products(first: 1) { nodes { ${'id '.repeat(page === 49 ? 84 : 87)}} }`);
  return JSON.stringify({ query: `{ ${pages.join(' ')} unknownField }` });
}

async function post(url: string, body: string): Promise<number> {
  const response = await lightFetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.text();
  return response.status;
}

/** `{ __typename }` one after another until the deadline; each latency in ms. */
async function probe(url: string, deadline: number): Promise<number[]> {
  const body = JSON.stringify({ query: '{ __typename }' });
  const latencies: number[] = [];
  while (performance.now() < deadline) {
    const started = performance.now();
    const status = await post(url, body);
    if (status !== 200) throw new Error(`{ __typename } answered ${status}`);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

async function probeWhileFlooding(url: string, durationMs: number, nextBody: () => string): Promise<FloodRun> {
  const started = performance.now();
  const deadline = started + durationMs;
  const statuses = new Map<number, number>();
  const flood = Array.from({ length: FLOODING_CLIENTS }, async () => {
    while (performance.now() < deadline) {
      const status = await post(url, nextBody());
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  });
  const [latencies] = await Promise.all([probe(url, deadline), ...flood]);
  const answered = [...statuses.values()].reduce((sum, count) => sum + count, 0);
  return {
    latencies,
    answeredPerS: answered / ((performance.now() - started) / 1000),
    statuses: [...statuses].map(([status, count]) => `${status} x ${count}`).join(', '),
  };
}

export async function documentFlood(server: ServerHandle, durationMs: number): Promise<DocumentFlood> {
  const alone = await probe(server.url, performance.now() + durationMs);
  const oversized = await probeWhileFlooding(server.url, durationMs, () => OVERSIZED);
  let serial = 0;
  const crafted = await probeWhileFlooding(server.url, durationMs, () => craftedDocument(serial++));
  return { alone, oversized, crafted };
}

export function documentFloodFigures(flood: DocumentFlood): [string, number][] {
  return [
    ['typenameP50', percentile(flood.alone, 50)],
    ['typenameP95', percentile(flood.alone, 95)],
    ['oversizedP50', percentile(flood.oversized.latencies, 50)],
    ['oversizedP95', percentile(flood.oversized.latencies, 95)],
    ['oversizedPerS', flood.oversized.answeredPerS],
    ['craftedP50', percentile(flood.crafted.latencies, 50)],
    ['craftedP95', percentile(flood.crafted.latencies, 95)],
    ['craftedPerS', flood.crafted.answeredPerS],
  ];
}
