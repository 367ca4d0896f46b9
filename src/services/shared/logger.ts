import { createHash } from 'node:crypto';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { currentLogContext } from '../../observability/log-context';
import { redactForLog } from './redaction';

/**
 * Structured JSON lines (pino) on stdout. Errors are logged here and never
 * sent to clients. Every line passes through redactForLog (redaction.ts):
 * secrets and access keys are masked, database errors lose their SQL values.
 * LOG_LEVEL is read once, at start (config.ts checks it); silent is the test
 * default, which keeps test output readable. Lines written while a request or
 * job runs carry its log context (log-context.ts): request id and the ids known.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_VALUES: Record<LogLevel | 'silent', number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

const configuredLevel = ((): LogLevel | 'silent' => {
  const raw = (process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info')).trim() as LogLevel | 'silent';
  return raw in LEVEL_VALUES ? raw : 'info';
})();

const destinations = pino.multistream([{ level: LEVEL_VALUES[configuredLevel], stream: pino.destination({ fd: 1, sync: true }) }]);
const attached: { id: number; level: number }[] = [];

const lowestLevel = (): number => Math.min(LEVEL_VALUES[configuredLevel], ...attached.map((entry) => entry.level));
const labelOf = (value: number): string => (value === Infinity ? 'silent' : (Object.entries(LEVEL_VALUES).find(([, v]) => v === value)?.[0] ?? 'info'));

export const rootLogger: PinoLogger = pino(
  {
    level: configuredLevel,
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'message',
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactForLog(bindings),
      log: (object) => redactForLog(object),
    },
    mixin: () => currentLogContext() ?? {},
    // Fields given at the call win over the context's (a worker naming the order it works on).
    mixinMergeStrategy: (mergeObject, mixinObject) => ({ ...mixinObject, ...mergeObject }),
  },
  destinations,
);

/**
 * Sends every line at `level` or above to `stream` as well, whatever
 * LOG_LEVEL says, until the returned function is called (tests read the real
 * output this way; an operator could ship lines elsewhere).
 */
export function addLogDestination(stream: DestinationStream, level: LogLevel = 'debug'): () => void {
  destinations.add({ stream, level: LEVEL_VALUES[level] });
  const id = (destinations as unknown as { lastId: number }).lastId;
  attached.push({ id, level: LEVEL_VALUES[level] });
  rootLogger.level = labelOf(lowestLevel());
  return () => {
    destinations.remove(id);
    attached.splice(
      attached.findIndex((entry) => entry.id === id),
      1,
    );
    rootLogger.level = labelOf(lowestLevel());
  };
}

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line carries `bindings` (orderId, sagaId, refundId...). */
  child(bindings: Record<string, unknown>): Logger;
}

const facade = (target: PinoLogger): Logger => ({
  debug: (event, fields) => target.debug({ event, ...fields }),
  info: (event, fields) => target.info({ event, ...fields }),
  warn: (event, fields) => target.warn({ event, ...fields }),
  error: (event, fields) => target.error({ event, ...fields }),
  child: (bindings) => facade(target.child(bindings)),
});

export const logger: Logger = facade(rootLogger);

/**
 * A guest cart id is an access key and never logged (redaction.ts); its
 * reference is: the same cart always gives the same short digest, so its lines
 * can be found, and the digest opens nothing.
 */
export const cartRef = (cartId: string): string => createHash('sha256').update(cartId).digest('hex').slice(0, 16);
