import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line written while serving one request (or one worker job)
 * carries: the request id, plus the ids of what it turned out to touch
 * (orderId, sagaId, refundId, cartRef, partner...), added as they become known.
 * The object is shared by the whole request, so the request's own log line,
 * written at the end, carries every id found on the way.
 */
export type LogContext = Record<string, string | number | boolean>;

const storage = new AsyncLocalStorage<LogContext>();

export const currentLogContext = (): LogContext | undefined => storage.getStore();

export const currentRequestId = (): string | undefined => {
  const id = storage.getStore()?.requestId;
  return typeof id === 'string' ? id : undefined;
};

export function runWithLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run(context, work);
}

/** Adds ids to the current request's (or job's) log context; outside one it does nothing. */
export function annotateLogContext(fields: Record<string, string | number | boolean | null | undefined>): void {
  const context = storage.getStore();
  if (!context) return;
  for (const [key, value] of Object.entries(fields)) if (value !== null && value !== undefined) context[key] = value;
}
