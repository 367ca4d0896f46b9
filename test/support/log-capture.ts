import { addLogDestination } from '../../src/services/shared/logger';

/**
 * Every log line the process writes while `action` runs, whatever LOG_LEVEL the
 * test run has (silent by default): a second destination is attached to the
 * real pino logger for the duration, so the lines are exactly what the
 * logger writes, redaction included.
 */
export async function captureLogLines(action: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const detach = addLogDestination({ write: (chunk: string) => void lines.push(...String(chunk).split('\n').filter(Boolean)) });
  try {
    await action();
  } finally {
    detach();
  }
  return lines;
}
