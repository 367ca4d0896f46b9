/** How far apart retries of something that keeps failing are spread. */
export interface BackoffPolicy {
  /** Delay before the second attempt; doubles with each further attempt. */
  baseMs: number;
  /** Upper bound on any delay. */
  capMs: number;
}

/** The nominal delay after `attempts` failed attempts (attempts >= 1): base x 2^(attempts-1), capped. */
export function exponentialDelayMs(attempts: number, policy: BackoffPolicy): number {
  // The exponent is bounded so a huge attempt count cannot overflow before the cap applies.
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/**
 * Delay before the next attempt after `attempts` failed ones: exponential,
 * capped, with "equal jitter" (half fixed, half random) so a peer that comes
 * back is not hit by every waiting retry at the same instant, while a retry is
 * never sooner than half the nominal delay. `random` returns [0, 1).
 */
export function retryDelayMs(attempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const nominal = exponentialDelayMs(attempts, policy);
  const half = Math.floor(nominal / 2);
  return half + Math.floor(random() * (nominal - half));
}
