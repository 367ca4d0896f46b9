import type { CountWindow } from '../rate-limit-store';
import { RateLimitStoreBase } from '../shared/rate-limit-store.base';

/** How often the memory store drops ended windows: the map never grows past a minute of keys that are over. */
const MEMORY_SWEEP_EVERY_MS = 60_000;

/**
 * The windows in process memory, for the embedded libSQL file, which serves
 * one process only (a table would cost each guarded mutation a write to the
 * one file every checkout also writes). Ended windows are dropped here as it
 * goes, so there is no sweep.
 */
export class MemoryRateLimitStore extends RateLimitStoreBase {
  private readonly windows = new Map<string, CountWindow>();
  private nextSweepAt = 0;
  readonly sweep = null;

  async add(key: string, delta: number, windowMs: number, now: number): Promise<CountWindow> {
    this.dropEnded(now);
    const live = this.live(key, now);
    const next = live ? { points: live.points + delta, expiresAt: live.expiresAt } : { points: delta, expiresAt: now + windowMs };
    this.windows.set(key, next);
    return { ...next };
  }

  async takeBack(key: string, now: number): Promise<void> {
    const live = this.live(key, now);
    if (live && live.points > 0) live.points -= 1;
  }

  async set(key: string, points: number, expiresAt: number): Promise<void> {
    this.windows.set(key, { points, expiresAt });
  }

  async get(key: string, now: number): Promise<CountWindow | null> {
    const live = this.live(key, now);
    return live ? { ...live } : null;
  }

  async delete(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private live(key: string, now: number): CountWindow | null {
    const window = this.windows.get(key);
    return window && window.expiresAt > now ? window : null;
  }

  private dropEnded(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + MEMORY_SWEEP_EVERY_MS;
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
  }
}
