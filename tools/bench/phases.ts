/**
 * The timed checkout phases against a server with statement counting off: the
 * checkout load of signed-in buyers or of guests (with the server's CPU and
 * RSS), the small cart mutation at one customer, and the soak. The catalog's
 * read phases are in catalog-phases.ts.
 */
import { SetShippingAddressDocument } from '../../client/src';
import { treeCpuMs, treeRss, type RssReading } from './cpu';
import { BENCH_ADDRESS, createFilledCart, expectType, guest, runCheckoutFlow, type FlowFixture, type FlowTiming, type Shopper } from './checkout-flow';
import { BenchClient } from './graphql-client';
import type { ServerHandle } from './server';

/** Prints the first few failures of a phase; the rest only count, so a broken server does not flood the output. */
export function failureLogger(phase: string): (error: unknown) => void {
  let shown = 0;
  return (error) => {
    if (shown++ < 3) console.error(`  ${phase} failed: ${(error as Error).message}`);
  };
}

/** `count` guests for a load: they share one client, each cart naming its own email. */
export const guests = (server: ServerHandle, count: number): Shopper[] => Array(count).fill(guest(new BenchClient(server.url, null, server.fit)));

export interface CheckoutLoad {
  timings: FlowTiming[];
  failures: number;
  elapsedS: number;
}

/**
 * Each shopper runs flows back to back until the deadline, all at once (the
 * concurrency is how many shoppers there are). Each loop ends at the deadline;
 * each request times out (graphql-client), so the phase is bounded.
 */
export async function checkoutLoad(
  shoppers: readonly Shopper[],
  fixture: FlowFixture,
  options: { durationMs: number; firstBuyer: number },
): Promise<CheckoutLoad> {
  const logFailure = failureLogger('flow');
  const timings: FlowTiming[] = [];
  let failures = 0;
  let buyer = options.firstBuyer;
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    shoppers.map(async (shopper) => {
      while (performance.now() < deadline) {
        try {
          timings.push(await runCheckoutFlow(shopper, fixture, buyer++));
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

/** Sequential flows before any timing, taking turns among the shoppers: JIT, pools and caches warm, and the fixture is proven to work. */
export async function warmUp(shoppers: readonly Shopper[], fixture: FlowFixture, flows: number, firstBuyer: number): Promise<void> {
  for (let i = 0; i < flows; i++) await runCheckoutFlow(shoppers[i % shoppers.length], fixture, firstBuyer + i);
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
  shoppers: readonly Shopper[],
  fixture: FlowFixture,
  options: { durationMs: number; firstBuyer: number; databasePid: number | null },
): Promise<TimedCheckouts> {
  const rssStart = treeRss(server.pid);
  const cpuBefore = treeCpuMs(server.pid);
  const databaseBefore = options.databasePid === null ? NaN : treeCpuMs(options.databasePid);
  const loadBefore = process.cpuUsage();
  const load = await checkoutLoad(shoppers, fixture, options);
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

export const SMALL_MUTATIONS = 200;

/**
 * One customer changing the shipping address of an existing cart (two lines
 * and a voucher), one request at a time. The postal code alternates so that
 * every request really changes the cart.
 */
export async function smallMutationLatencies(server: ServerHandle, fixture: FlowFixture, buyer: number): Promise<number[]> {
  const client = new BenchClient(server.url, null, server.fit);
  const cartId = await createFilledCart(guest(client), fixture, buyer);
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
  shoppers: readonly Shopper[],
  fixture: FlowFixture,
  options: { durationMs: number; sampleEveryMs: number; firstBuyer: number },
): Promise<SoakResult> {
  const started = performance.now();
  const samples: SoakResult['samples'] = [{ atS: 0, rss: treeRss(server.pid) }];
  const timer = setInterval(() => {
    const atS = (performance.now() - started) / 1000;
    samples.push({ atS, rss: treeRss(server.pid) });
    console.log(`  soak ${atS.toFixed(0).padStart(5)} s  RSS ${samples.at(-1)!.rss.totalMb.toFixed(1)} MB`);
  }, options.sampleEveryMs);
  try {
    const load = await checkoutLoad(shoppers, fixture, options);
    samples.push({ atS: (performance.now() - started) / 1000, rss: treeRss(server.pid) });
    return { ...load, samples };
  } finally {
    clearInterval(timer);
  }
}
