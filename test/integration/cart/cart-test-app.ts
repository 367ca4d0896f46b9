import { startTestApp, type TestApp } from '../../support/test-app';

/** A frozen business clock, so expiry and validity windows are exact without sleeping. */
export const NOW = new Date('2031-03-01T10:00:00.000Z');
export const minutesFromNow = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

export interface CartTestApp {
  app: TestApp;
  /** SQL statements run while `during` runs (begin/commit included). */
  statementsDuring(during: () => Promise<unknown>): Promise<string[]>;
}

async function startCartTestApp(env: Record<string, string>): Promise<CartTestApp> {
  let recorded: string[] | null = null;
  const app = await startTestApp(env, {
    clock: { now: () => new Date(NOW) },
    onQuery: (sql) => recorded?.push(sql),
  });
  return {
    app,
    async statementsDuring(during) {
      recorded = [];
      try {
        await during();
        return recorded;
      } finally {
        recorded = null;
      }
    },
  };
}

/**
 * One cart app per test file, registered as Jest hooks (call it first in the
 * `describe`): tables are emptied before each test. Read `app` inside tests.
 * `env` goes through loadConfig like any other setting.
 */
export function useCartTestApp(env: Record<string, string> = {}): CartTestApp {
  let started: CartTestApp | undefined;
  const current = () => {
    if (!started) throw new Error('useCartTestApp: the app is read before its beforeAll hook ran');
    return started;
  };
  beforeAll(async () => {
    started = await startCartTestApp(env);
  });
  beforeEach(() => current().app.reset());
  afterAll(() => started?.app.close());
  return {
    get app() {
      return current().app;
    },
    statementsDuring: (during) => current().statementsDuring(during),
  };
}
