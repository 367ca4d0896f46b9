import type { StartOptions } from '../../../src/app';
import { isPostgres, RATE_LIMIT_TABLE } from '../../../src/db/orm';
import { startTestApp, type GraphQLResponse, type TestApp } from '../../support/test-app';

/**
 * Rate-limit tests run with the limits on (startTestApp turns them off for
 * every other suite) and believe X-Forwarded-For from loopback, so each test
 * plays clients at addresses of its own: no test spends another's budget,
 * whether the counters live in memory (libSQL) or in the shared PostgreSQL table.
 */
export function startLimitedApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestApp> {
  return startTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'loopback', ...env }, options);
}

/**
 * Forgets every count in the shared PostgreSQL table (the memory counters of
 * the libSQL runs die with their app). For tests that must count as 127.0.0.1,
 * which every app of this Jest worker's database shares.
 */
export async function forgetCounts(app: TestApp): Promise<void> {
  if (isPostgres(app.orm.em)) await app.orm.em.fork().getConnection().execute(`delete from ${RATE_LIMIT_TABLE}`);
}

let addressCounter = 0;
const randomOctet = () => Math.floor(Math.random() * 256);

/** A client address no other test (file, Jest worker or earlier run on the same database) uses. */
export function freshAddress(): string {
  addressCounter += 1;
  return `10.${randomOctet()}.${randomOctet()}.${1 + (addressCounter % 254)}`;
}

export const uniqueEmail = (label: string) => `${label}-${process.pid}-${Math.random().toString(36).slice(2)}@example.com`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped by default, as GraphQLResponse: the body is JSON shaped by each test's query
export interface RawAnswer<T = any> {
  status: number;
  retryAfter: string | null;
  body: T;
}

/** POST /graphql as a client at `from` (X-Forwarded-For); the body may be one operation or a batch. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped by default, as GraphQLResponse: the body is JSON shaped by each test's query
export async function postAs<T = any>(
  app: TestApp,
  from: string | null,
  body: unknown,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (from) headers['x-forwarded-for'] = from;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as T };
}

/** One operation as a client at `from`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped by default, as GraphQLResponse: the body is JSON shaped by each test's query
export async function gqlAs<T = any>(
  app: TestApp,
  from: string | null,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string } = {},
): Promise<RawAnswer<GraphQLResponse<T>>> {
  return postAs<GraphQLResponse<T>>(app, from, { query, variables }, options);
}

/** The refusal of one operation's answer, if it was refused. */
export function refusalOf(answer: GraphQLResponse): { retryAfter: number } | null {
  const error = answer.errors?.find((e) => e.extensions?.code === 'RATE_LIMITED');
  return error ? { retryAfter: error.extensions!.retryAfter as number } : null;
}

export const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { __typename ... on AuthPayload { token } ... on UserError { errorCode } } }`;
export const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { __typename ... on AuthPayload { token customer { id } } ... on UserError { errorCode } } }`;
export const CREATE_CART = `mutation($input: CreateCartInput!) { createCart(input: $input) { id } }`;
export const ADD_CART_LINE = `mutation($input: AddCartLineInput!) { addCartLine(input: $input) { __typename ... on UserError { errorCode } } }`;

/**
 * Moves the clock the counters read (Date.now) without faking timers, so
 * sockets and the event loop keep real time. Call `restore` in afterEach.
 * Steps stay under the connection pool's 30 s idle timeout, which reads
 * Date.now too: a longer jump makes the idle connection look stale, and the
 * in-memory libSQL database of the tests dies with its one connection. So the
 * tests that move the clock use windows of seconds.
 */
const MAX_STEP_MS = 25_000;

export const wallClock = {
  freeze(): void {
    jest.useFakeTimers({
      advanceTimers: true,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  },
  advance(ms: number): void {
    if (ms > MAX_STEP_MS) throw new Error(`wallClock.advance: at most ${MAX_STEP_MS} ms at a time`);
    jest.setSystemTime(Date.now() + ms);
  },
  restore(): void {
    jest.useRealTimers();
  },
};
