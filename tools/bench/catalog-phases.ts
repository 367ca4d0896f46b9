/**
 * The catalog's read phases, each `products(first: 50)` with sellers,
 * variants, prices and availability, as many as `concurrency` clients get:
 *
 * - the POST of the document's text (what a client that does not persist sends);
 * - uncached: the client package's persisted GET (hash and variables in the URL),
 *   which the server runs and answers in full, with its ETag;
 * - revalidated: the same GET with If-None-Match, as a browser or CDN revalidates
 *   an answer it holds: 304 with no body;
 * - kept: the same GET again without If-None-Match, as a second visitor sends it:
 *   the whole answer, from the public answers the gateway keeps for its max-age
 *   (a build that keeps none runs the query).
 * A build that sends no ETag has neither of the last two.
 */
import { createTillgateClient, persistedGetUrl, ProductsDocument } from '../../client/src';
import { READ_PAGE_SIZE, readProductsPage } from './checkout-flow';
import { treeCpuMs } from './cpu';
import { BenchClient, lightFetch } from './graphql-client';
import { failureLogger } from './phases';
import type { ServerHandle } from './server';

export interface ReadLoad {
  requests: number;
  failures: number;
  elapsedS: number;
  cpuMsPerRequest: number;
  /** PostgreSQL's CPU per read (NaN on libSQL) and the load generator's own. */
  databaseCpuMsPerRequest: number;
  loadCpuMsPerRequest: number;
}

export interface ReadOptions {
  concurrency: number;
  durationMs: number;
  databasePid: number | null;
}

/** `send` from `concurrency` clients until the deadline, with the CPU every party spent per successful request. */
async function measuredLoad(server: ServerHandle, options: ReadOptions, phase: string, send: () => Promise<void>): Promise<ReadLoad> {
  const logFailure = failureLogger(phase);
  let requests = 0;
  let failures = 0;
  const cpuBefore = treeCpuMs(server.pid);
  const databaseBefore = options.databasePid === null ? NaN : treeCpuMs(options.databasePid);
  const loadBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          await send();
          requests++;
        } catch (error) {
          failures++;
          logFailure(error);
        }
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const loadUsage = process.cpuUsage(loadBefore);
  const databaseMs = options.databasePid === null ? NaN : treeCpuMs(options.databasePid) - databaseBefore;
  const cpuMs = treeCpuMs(server.pid) - cpuBefore;
  const perRequest = (ms: number) => (requests > 0 ? ms / requests : NaN);
  return {
    requests,
    failures,
    elapsedS,
    cpuMsPerRequest: perRequest(cpuMs),
    databaseCpuMsPerRequest: perRequest(databaseMs),
    loadCpuMsPerRequest: perRequest((loadUsage.user + loadUsage.system) / 1000),
  };
}

/** The POST of the page's text. */
export async function readLoad(server: ServerHandle, options: ReadOptions): Promise<ReadLoad> {
  const client = new BenchClient(server.url, null, server.fit);
  // One read first: the page must really hold 50 products, or the figure means nothing.
  const size = await readProductsPage(client);
  if (size !== READ_PAGE_SIZE) throw new Error(`products(first: ${READ_PAGE_SIZE}) returned ${size} products`);
  return measuredLoad(server, options, 'products read', async () => {
    await readProductsPage(client);
  });
}

export interface CatalogGetLoads {
  uncached: ReadLoad;
  /** null when the build sends no ETag (`note` says so). */
  revalidated: ReadLoad | null;
  /** The repeated GET, answered from what the gateway keeps; null like `revalidated`. */
  kept: ReadLoad | null;
  /** The first answer's Cache-Control, and what was left out. */
  note: string;
}

/**
 * One persisted catalog GET before the checkouts are timed. In a build that
 * uses Apollo's cache-control plugin, the first request that may be answered
 * publicly engages it, and it then wraps every field resolver of the schema for
 * good; a storefront sends such GETs all day, so the checkouts are measured on
 * the schema as production runs it. A build that cannot answer it is measured as it is.
 */
export async function warmCatalogGet(server: ServerHandle): Promise<void> {
  const client = createTillgateClient({ url: `${server.url}/graphql`, persisted: true, fetch: lightFetch });
  await client.execute(server.fit(ProductsDocument), { first: READ_PAGE_SIZE });
}

/** The persisted GET of the page, uncached and then revalidated with its ETag. */
export async function catalogGetLoads(server: ServerHandle, options: ReadOptions, label: string): Promise<CatalogGetLoads> {
  const document = server.fit(ProductsDocument);
  const variables = { first: READ_PAGE_SIZE };
  const url = persistedGetUrl(`${server.url}/graphql`, document, variables);
  // What the client package sends with a GET (no body, so Apollo's CSRF prevention wants this header instead of a content type).
  const headers = { 'apollo-require-preflight': 'true' };
  const first = await lightFetch(url, { headers });
  const size = first.status === 200 ? ((await first.json()) as { data?: { products?: { nodes?: unknown[] } } }).data?.products?.nodes?.length : undefined;
  if (size !== READ_PAGE_SIZE) throw new Error(`the persisted GET of products(first: ${READ_PAGE_SIZE}) answered ${first.status} with ${size} products`);
  const etag = first.headers.get('etag');
  const note = `${label}: the catalog GET answers Cache-Control: ${first.headers.get('cache-control') ?? '(none)'}${etag ? '' : ', no ETag: no 304 phase'}`;

  // Uncached: each GET carries a parameter of its own that Apollo ignores, as a cache-buster would, so no cache
  // (the gateway keeps public answers too) can answer it.
  let sent = 0;
  const uncachedFetch = ((input: string | URL, init?: RequestInit) => lightFetch(`${String(input)}&bench_uncached=${sent++}`, init)) as typeof lightFetch;
  const client = createTillgateClient({ url: `${server.url}/graphql`, persisted: true, fetch: uncachedFetch });
  const uncached = await measuredLoad(server, options, 'catalog GET', async () => {
    const data = await client.request(document, variables);
    if (data.products.nodes.length !== READ_PAGE_SIZE) throw new Error(`the catalog GET answered ${data.products.nodes.length} products`);
  });
  if (!etag) return { uncached, revalidated: null, kept: null, note };
  const revalidated = await measuredLoad(server, options, 'catalog revalidation', async () => {
    const answer = await lightFetch(url, { headers: { ...headers, 'if-none-match': etag } });
    if (answer.status !== 304) throw new Error(`a revalidation answered ${answer.status}, not 304`);
  });
  const kept = await measuredLoad(server, options, 'catalog GET kept', async () => {
    const answer = await lightFetch(url, { headers });
    const body = await answer.text();
    if (answer.status !== 200 || !body.startsWith('{"data"')) throw new Error(`a repeated GET answered ${answer.status}: ${body.slice(0, 80)}`);
  });
  return { uncached, revalidated, kept, note };
}
