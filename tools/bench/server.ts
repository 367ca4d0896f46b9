/**
 * Starts one build's server (dist/src/main.js of the working tree or of a
 * baseline worktree) as a child process on a loopback port, and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../postgres-cluster';
import { startStripeEmulator, type StripeEmulator } from '../stripe-emulator';
import { documentFitter, type DocumentFitter } from './fit-documents';
import { BenchClient } from './graphql-client';

export type BenchPayment = 'cod' | 'card';

/** A build under test: where its dist/ lives and how to name it in the report. */
export interface Build {
  label: string;
  root: string;
}

export interface ServerHandle {
  url: string;
  /** The client documents fitted to this server's schema (a baseline may lack a field). */
  fit: DocumentFitter;
  pid: number;
  stop(): Promise<void>;
}

export const ADMIN = { email: 'bench-admin@tillgate.local', password: 'bench-admin-password' };
const STRIPE_SECRET_KEY = 'sk_test_bench';
const STRIPE_WEBHOOK_SECRET = 'whsec_bench_webhook_secret';
const READY_ATTEMPTS = 600; // x 100 ms: a first start migrates the database
const STOP_GRACE_MS = 30_000;

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready within 60 s');
}

/** For the CARD variant: an emulator whose webhooks go to the server under test. */
async function startStripeIfNeeded(payment: BenchPayment): Promise<{ env: Record<string, string>; emulator: StripeEmulator } | null> {
  if (payment !== 'card') return null;
  const emulator = await startStripeEmulator({ port: 0, webhookSecret: STRIPE_WEBHOOK_SECRET });
  return { emulator, env: { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE: emulator.url } };
}

/** Every server still running, so that Ctrl-C does not leave one behind. */
const running = new Set<ChildProcess>();
export function killRunningServers(): void {
  for (const child of running) child.kill('SIGKILL');
}

export async function startServer(build: Build, payment: BenchPayment, env: Record<string, string>): Promise<ServerHandle> {
  const stripe = await startStripeIfNeeded(payment);
  const port = await freePort();
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(build.root, 'dist', 'src', 'main.js')], {
    // cwd is the build's own root, so that anything it resolves from the working directory is its own.
    cwd: build.root,
    env: {
      ...process.env,
      ...env,
      ...stripe?.env,
      PORT: String(port),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // RATE_LIMITS off: the load comes from one address and would be throttled as an attack. GUEST_COD on: the
      // buyers are guests paying cash on delivery, the storefront workload the baseline measured. MIGRATE_ON_START
      // on: each run starts from an empty database (production migrates with `npm run migrate` instead).
      MIGRATE_ON_START: 'on',
      DEMO_DATA: 'off',
      RATE_LIMITS: 'off',
      GUEST_COD: 'on',
      LOG_LEVEL: 'error',
      AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child);
  } catch (error) {
    await stripe?.emulator.close();
    throw error;
  }
  stripe?.emulator.setWebhookUrl(`${url}/webhooks/stripe`);
  const fit = await documentFitter((query) => new BenchClient(url).request(query), build.label);
  return {
    url,
    fit,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((done) => {
          // A drain that hangs must not hang the bench: SIGKILL after the grace period.
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          child.kill('SIGTERM');
        });
      }
      await stripe?.emulator.close();
    },
  };
}

export async function logInAdmin(url: string): Promise<BenchClient> {
  const client = new BenchClient(url);
  const data = await client.request(`mutation($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { token } } }`, { input: ADMIN });
  return client.withToken(data.logIn.token);
}
