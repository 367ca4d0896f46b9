/**
 * The timed phases against a server with statement counting off: the checkout
 * load (with the server's CPU and RSS), the catalog read load, the small cart
 * mutation at one customer, and the soak.
 */
import { SetShippingAddressDocument } from '../../client/src';
import { treeCpuMs, treeRss, type RssReading } from './cpu';
import { BENCH_ADDRESS, createFilledCart, expectType, readProductsPage, runCheckoutFlow, type FlowFixture, type FlowTiming } from './checkout-flow';
import { BenchClient } from './graphql-client';
import type { ServerHandle } from './server';

/** Prints the first few failures of a phase; the rest only count, so a broken server does not flood the output. */
function failureLogger(phase: string): (error: unknown) => void {
  let shown = 0;
  return (error) => {
    if (shown++ < 3) console.error(`  ${phase} failed: ${(error as Error).message}`);
  };
}

export interface CheckoutLoad {
  timings: FlowTiming[];
  failures: number;
  elapsedS: number;
}

/**
 * `concurrency` customers each run flows back to back until the deadline. Each
 * loop ends at the deadline; each request times out (graphql-client), so the phase is bounded.
 */
export async function checkoutLoad(
  server: ServerHandle,
  fixture: FlowFixture,
  options: { concurrency: number; durationMs: number; firstBuyer: number },
): Promise<CheckoutLoad> {
  const client = new BenchClient(server.url, null, server.fit);
  const logFailure = failureLogger('flow');
  const timings: FlowTiming[] = [];
  let failures = 0;
  let buyer = options.firstBuyer;
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          timings.push(await runCheckoutFlow(client, fixture, buyer++));
        } catch (error) {
          failures++;
          logFailure(error);
        }
      }
    }),
  );
  return { timings, failures, elapsedS: (performance.now() - started) / 1000 };
}

export const WARM_UP_FLOWS = 20;

/** Sequential flows before any timing: JIT, connection pools and caches warm, and the fixture is proven to work. */
export async function warmUp(server: ServerHandle, fixture: FlowFixture, flows: number, firstBuyer: number): Promise<void> {
  const client = new BenchClient(server.url, null, server.fit);
  for (let i = 0; i < flows; i++) await runCheckoutFlow(client, fixture, firstBuyer + i);
}

export interface TimedCheckouts extends CheckoutLoad {
  /** Server CPU (all its processes) during the timed load, per placed checkout. */
  cpuMsPerCheckout: number;
  /** PostgreSQL's CPU (postmaster and backends) per placed checkout; NaN on libSQL, which runs inside the gateway. */
  databaseCpuMsPerCheckout: number;
  /** This load generator's own CPU per placed checkout: it shares the machine, so it counts against the ceiling. */
  loadCpuMsPerCheckout: number;
  rssStart: RssReading;
  rssEnd: RssReading;
}

export async function timedCheckouts(
  server: ServerHandle,
  fixture: FlowFixture,
  options: { concurrency: number; durationMs: number; firstBuyer: number; databasePid: number | null },
): Promise<TimedCheckouts> {
  const rssStart = treeRss(server.pid);
  const cpuBefore = treeCpuMs(server.pid);
  const databaseBefore = options.databasePid === null ? NaN : treeCpuMs(options.databasePid);
  const loadBefore = process.cpuUsage();
  const load = await checkoutLoad(server, fixture, options);
  const loadUsage = process.cpuUsage(loadBefore);
  const databaseMs = options.databasePid === null ? NaN : treeCpuMs(options.databasePid) - databaseBefore;
  const cpuMs = treeCpuMs(server.pid) - cpuBefore;
  const rssEnd = treeRss(server.pid);
  const perCheckout = (ms: number) => (load.timings.length > 0 ? ms / load.timings.length : NaN);
  return {
    ...load,
    cpuMsPerCheckout: perCheckout(cpuMs),
    databaseCpuMsPerCheckout: perCheckout(databaseMs),
    loadCpuMsPerCheckout: perCheckout((loadUsage.user + loadUsage.system) / 1000),
    rssStart,
    rssEnd,
  };
}

export interface ReadLoad {
  requests: number;
  failures: number;
  elapsedS: number;
  cpuMsPerRequest: number;
  /** PostgreSQL's CPU per read (NaN on libSQL) and the load generator's own. */
  databaseCpuMsPerRequest: number;
  loadCpuMsPerRequest: number;
}

/** `products(first: 50)` with variants, prices, availability and seller, as many as `concurrency` clients can get. */
export async function readLoad(server: ServerHandle, options: { concurrency: number; durationMs: number; databasePid: number | null }): Promise<ReadLoad> {
  const client = new BenchClient(server.url, null, server.fit);
  const logFailure = failureLogger('products read');
  // One read first: the page must really hold 50 products, or the figure means nothing.
  const size = await readProductsPage(client);
  if (size !== 50) throw new Error(`products(first: 50) returned ${size} products`);
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
          await readProductsPage(client);
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

export const SMALL_MUTATIONS = 200;

/**
 * One customer changing the shipping address of an existing cart (two lines
 * and a voucher), one request at a time. The postal code alternates so that
 * every request really changes the cart.
 */
export async function smallMutationLatencies(server: ServerHandle, fixture: FlowFixture, buyer: number): Promise<number[]> {
  const client = new BenchClient(server.url, null, server.fit);
  const cartId = await createFilledCart(client, fixture, buyer);
  const latencies: number[] = [];
  for (let i = 0; i < SMALL_MUTATIONS; i++) {
    const address = { ...BENCH_ADDRESS, postalCode: i % 2 === 0 ? '10117' : '10115' };
    const started = performance.now();
    expectType(await client.run(SetShippingAddressDocument, { input: { cartId, address } }), 'setShippingAddress', 'Cart');
    latencies.push(performance.now() - started);
  }
  return latencies;
}

export interface SoakResult extends CheckoutLoad {
  samples: { atS: number; rss: RssReading }[];
}

/** The checkout load for a long time, with the server's RSS sampled every `sampleEveryMs`. */
export async function soak(
  server: ServerHandle,
  fixture: FlowFixture,
  options: { concurrency: number; durationMs: number; sampleEveryMs: number; firstBuyer: number },
): Promise<SoakResult> {
  const started = performance.now();
  const samples: SoakResult['samples'] = [{ atS: 0, rss: treeRss(server.pid) }];
  const timer = setInterval(() => {
    const atS = (performance.now() - started) / 1000;
    samples.push({ atS, rss: treeRss(server.pid) });
    console.log(`  soak ${atS.toFixed(0).padStart(5)} s  RSS ${samples.at(-1)!.rss.totalMb.toFixed(1)} MB`);
  }, options.sampleEveryMs);
  try {
    const load = await checkoutLoad(server, fixture, options);
    samples.push({ atS: (performance.now() - started) / 1000, rss: treeRss(server.pid) });
    return { ...load, samples };
  } finally {
    clearInterval(timer);
  }
}
