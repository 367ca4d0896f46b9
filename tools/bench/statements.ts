/**
 * SQL statements, counted in a sequential pass on a server of its own with
 * SQL_STATEMENT_METRICS=on (the counting formats every statement and would
 * slow a timed run down). One process: each keeps its own counter.
 *
 * The server's background workers (outbox relay, sweepers, recovery) run in
 * the same process and their statements land in the same counter, sometimes
 * while a request is in flight. So:
 * - a request's figure is the MEDIAN over the flows of (counter after - counter
 *   before): a worker tick that lands inside one request does not move it;
 * - idle = statements per second with no traffic at all, after the workers went quiet;
 * - background per checkout = everything counted from the first flow until the
 *   workers are quiet again, minus idle ticks over that time, minus the
 *   requests' own statements, divided by flows. That is the statements arriving
 *   with no request in flight plus the worker statements that happened to
 *   land inside a request.
 * Signed-in buyers and guests are counted apart (a signed-in request also
 * checks its token); background is over both.
 */
import {
  FLOW_REQUESTS,
  guest,
  readProductsPage,
  runCheckoutFlow,
  signUpShoppers,
  type FlowFixture,
  type FlowRequest,
  type RequestHook,
  type Shopper,
} from './checkout-flow';
import { BenchClient, readCounter } from './graphql-client';
import type { ServerHandle } from './server';
import { percentile } from './stats';

const COUNTER = 'sql_statements_total';
const COUNTED_FLOWS = 20;
const COUNTED_READS = 10;
const WARM_UP_FLOWS = 5;
const IDLE_WINDOW_MS = 5_000;
const QUIET_WINDOW_MS = 1_000;
const QUIET_MAX_MS = 30_000;

/** One kind of buyer's flows. */
export interface FlowStatements {
  /** Median statements per request of the flow, by request. */
  perRequest: Map<FlowRequest, number>;
  /** min-max per request, to show how much background landed inside requests. */
  ranges: Map<FlowRequest, [number, number]>;
  perCheckout: number;
}

export interface StatementFigures {
  signedIn: FlowStatements;
  guest: FlowStatements;
  backgroundPerCheckout: number;
  /** Of the background: statements counted while no request was in flight, per checkout (idle ticks not removed). */
  outsideRequestsPerCheckout: number;
  idlePerS: number;
  productsRead: number;
  /** false when the server exposes no statement counter (an old baseline): then every figure is NaN. */
  counted: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the workers are done with the backlog: two consecutive windows
 * count about the same, and (once the idle rate is known) no more than idle
 * ticks would. Bounded by QUIET_MAX_MS; returns the counter and the time it was read.
 */
async function waitQuiet(url: string, idlePerS: number | null): Promise<{ count: number; at: number }> {
  const started = performance.now();
  let previousWindow: number | null = null;
  let count = await readCounter(url, COUNTER);
  while (performance.now() - started < QUIET_MAX_MS) {
    await sleep(QUIET_WINDOW_MS);
    const next = await readCounter(url, COUNTER);
    const window = next - count;
    count = next;
    const steady = previousWindow !== null && Math.abs(window - previousWindow) <= Math.max(2, previousWindow * 0.2);
    const idleLike = idlePerS === null || window <= idlePerS * (QUIET_WINDOW_MS / 1000) * 1.5 + 2;
    if (steady && idleLike) return { count, at: performance.now() };
    previousWindow = window;
  }
  console.error(`  statements: the workers did not go quiet within ${QUIET_MAX_MS / 1000} s; background figures include the rest`);
  return { count, at: performance.now() };
}

/** Wraps each request of the flows in a read of the counter before and after it. */
class RequestCounter {
  readonly samples = new Map<FlowRequest, number[]>(FLOW_REQUESTS.map((request) => [request, []]));
  insideRequests = 0;

  constructor(private readonly url: string) {}

  readonly hook: RequestHook = async (request, send) => {
    const before = await readCounter(this.url, COUNTER);
    const result = await send();
    const counted = (await readCounter(this.url, COUNTER)) - before;
    this.samples.get(request)!.push(counted);
    this.insideRequests += counted;
    return result;
  };

  figures(): FlowStatements {
    const perRequest = new Map<FlowRequest, number>();
    const ranges = new Map<FlowRequest, [number, number]>();
    for (const [request, counts] of this.samples) {
      perRequest.set(request, percentile(counts, 50));
      ranges.set(request, [Math.min(...counts), Math.max(...counts)]);
    }
    return { perRequest, ranges, perCheckout: [...perRequest.values()].reduce((sum, n) => sum + n, 0) };
  }
}

export async function countStatements(server: ServerHandle, fixture: FlowFixture, firstBuyer: number): Promise<StatementFigures> {
  const client = new BenchClient(server.url, null, server.fit);
  const [customer] = await signUpShoppers(client, 1, 'counting');
  const kinds: [Shopper, RequestCounter][] = [
    [customer, new RequestCounter(server.url)],
    [guest(client), new RequestCounter(server.url)],
  ];
  let buyer = firstBuyer;
  for (let i = 0; i < WARM_UP_FLOWS; i++) for (const [shopper] of kinds) await runCheckoutFlow(shopper, fixture, buyer++);
  const probe = await readCounter(server.url, COUNTER);
  if (probe === 0) return notCounted();

  // Idle: no traffic at all, once the warm-up's outbox events are delivered.
  const quietBefore = await waitQuiet(server.url, null);
  await sleep(IDLE_WINDOW_MS);
  const idleEnd = await readCounter(server.url, COUNTER);
  const idleSpanMs = performance.now() - quietBefore.at;
  const idlePerS = (idleEnd - quietBefore.count) / (idleSpanMs / 1000);

  const flowsStart = { count: await readCounter(server.url, COUNTER), at: performance.now() };
  for (let i = 0; i < COUNTED_FLOWS; i++) for (const [shopper, counter] of kinds) await runCheckoutFlow(shopper, fixture, buyer++, counter.hook);
  const quietAfter = await waitQuiet(server.url, idlePerS);

  const [signedIn, guests] = kinds.map(([, counter]) => counter.figures());
  const flows = COUNTED_FLOWS * kinds.length;
  const total = quietAfter.count - flowsStart.count;
  const idleTicks = idlePerS * ((quietAfter.at - flowsStart.at) / 1000);
  const requestsPerFlow = (signedIn.perCheckout + guests.perCheckout) / kinds.length;
  const backgroundPerCheckout = (total - idleTicks) / flows - requestsPerFlow;
  const insideRequests = kinds.reduce((sum, [, counter]) => sum + counter.insideRequests, 0);

  const reads: number[] = [];
  for (let i = 0; i < COUNTED_READS; i++) {
    const before = await readCounter(server.url, COUNTER);
    await readProductsPage(client);
    reads.push((await readCounter(server.url, COUNTER)) - before);
  }
  return {
    signedIn,
    guest: guests,
    idlePerS,
    backgroundPerCheckout: Math.max(0, backgroundPerCheckout),
    outsideRequestsPerCheckout: (total - insideRequests) / flows,
    productsRead: percentile(reads, 50),
    counted: true,
  };
}

function notCounted(): StatementFigures {
  const none = (): FlowStatements => ({ perRequest: new Map(FLOW_REQUESTS.map((request) => [request, NaN])), ranges: new Map(), perCheckout: NaN });
  return {
    signedIn: none(),
    guest: none(),
    backgroundPerCheckout: NaN,
    outsideRequestsPerCheckout: NaN,
    idlePerS: NaN,
    productsRead: NaN,
    counted: false,
  };
}
