import { startTillgate, type StartOptions, type Tillgate } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { Orm } from '../../src/db/orm';
import { openTestOrm, truncateAll } from './test-database';

export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-123' };
export const TEST_AUTH_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';

/* eslint-disable @typescript-eslint/no-explicit-any -- a GraphQL answer is JSON shaped by each test's own query; tests walk it untyped rather than declare a type per query */
export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, any>; path?: (string | number)[] }[];
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface TestApp {
  url: string;
  orm: Orm;
  tillgate: Tillgate;
  config: Config;
  /** POST /graphql; `token` sends `Authorization: Bearer`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped by default, as GraphQLResponse above
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { token?: string; headers?: Record<string, string> }): Promise<GraphQLResponse<T>>;
  adminToken(): Promise<string>;
  /** Signs up a fresh customer and returns its token and id. */
  customer(email?: string): Promise<{ token: string; id: string; email: string }>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

let customerCounter = 0;

/**
 * The whole gateway in-process on a free port, on the dialect of the running
 * Jest project, over real HTTP. Extra environment goes through loadConfig, so
 * tests exercise the same parsing as production.
 */
export async function startTestApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestApp> {
  // The test opens the ORM itself (one per test file), so statement counting hooks in here.
  const orm = await openTestOrm({ onQuery: options.onQuery, poolMax: options.poolMax });
  const config = loadConfig({
    PORT: '0',
    AUTH_SECRET: TEST_AUTH_SECRET,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    WORKERS: 'off',
    DEMO_DATA: 'off',
    // Most checkout tests pay cash on delivery as guests; the default (off) is tested on its own.
    GUEST_COD: 'on',
    // Every test would share one client address (127.0.0.1); the rate limits are tested with it on (test/integration/rate-limits).
    RATE_LIMITS: 'off',
    ...env,
  });
  const tillgate = await startTillgate(config, { ...options, orm });
  let cachedAdminToken: string | null = null;

  const gql: TestApp['gql'] = async (query, variables, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const response = await fetch(`${tillgate.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as GraphQLResponse;
  };

  const logIn = async (email: string, password: string): Promise<string> => {
    const result = await gql(`mutation($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token } ... on UserError { message } } }`, {
      input: { email, password },
    });
    if (!result.data?.logIn?.token) throw new Error(`log in failed: ${JSON.stringify(result)}`);
    return result.data.logIn.token;
  };

  return {
    url: tillgate.url,
    orm,
    tillgate,
    config,
    gql,
    async adminToken() {
      cachedAdminToken ??= await logIn(TEST_ADMIN.email, TEST_ADMIN.password);
      return cachedAdminToken;
    },
    async customer(email = `buyer-${process.pid}-${++customerCounter}-${Date.now()}@example.com`) {
      const result = await gql(
        `mutation($input: SignUpInput!) { signUp(input: $input) { ... on AuthPayload { token customer { id } } ... on UserError { message } } }`,
        { input: { email, password: 'correct-horse-battery' } },
      );
      if (!result.data?.signUp?.token) throw new Error(`sign up failed: ${JSON.stringify(result)}`);
      return { token: result.data.signUp.token, id: result.data.signUp.customer.id, email };
    },
    /** Empties every table, then re-creates the configured admin. */
    async reset() {
      await truncateAll(orm);
      cachedAdminToken = null;
      const { AuthService } = await import('../../src/services/auth/auth.service');
      await new AuthService(orm.em.fork(), tillgate.deps).ensureAdmin(TEST_ADMIN.email, TEST_ADMIN.password);
    },
    async close() {
      await tillgate.close();
      await orm.close(true);
    },
  };
}
