import { AsyncLocalStorage } from 'node:async_hooks';
import { redactForLog } from './redaction';

/**
 * Structured JSON lines on stdout/stderr. Errors are logged here and never sent
 * to clients. Every line passes through redactForLog (redaction.ts): secrets and
 * access keys are masked, database errors lose their SQL values.
 * LOG_LEVEL=silent (the test default) keeps test output readable.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function threshold(): number {
  const configured = (process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info')) as Level | 'silent';
  return ORDER[configured] ?? ORDER.info;
}

/** Fields every line logged while serving one request carries (the calling partner's name), see withLogFields. */
const requestFields = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `work` (and everything it starts, awaited or not) with `fields` on each of its log lines. */
export function withLogFields<T>(fields: Record<string, unknown>, work: () => T): T {
  return requestFields.run({ ...requestFields.getStore(), ...fields }, work);
}

function write(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < threshold()) return;
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, event, ...redactForLog({ ...requestFields.getStore(), ...fields }) };
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(JSON.stringify(entry) + '\n');
}

export const logger = {
  debug: (event: string, fields?: Record<string, unknown>) => write('debug', event, fields),
  info: (event: string, fields?: Record<string, unknown>) => write('info', event, fields),
  warn: (event: string, fields?: Record<string, unknown>) => write('warn', event, fields),
  error: (event: string, fields?: Record<string, unknown>) => write('error', event, fields),
};
