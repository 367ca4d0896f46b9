export interface BackoffPolicy {
  /** Delay before the second attempt; doubles with each further attempt. */
  baseMs: number;
  /** Upper bound on any delay. */
  capMs: number;
}

export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 10 * 60_000 };

/**
 * Delay before the next attempt after `attempts` failed ones: exponential,
 * capped, with "equal jitter" (half fixed, half random) so a sink that comes
 * back is not hit by every waiting event at the same instant, while a retry is
 * never sooner than half the nominal delay. `random` returns [0, 1).
 */
export function retryDelayMs(attempts: number, policy: BackoffPolicy = OUTBOX_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  const nominal = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const half = Math.floor(nominal / 2);
  return half + Math.floor(random() * (nominal - half));
}
