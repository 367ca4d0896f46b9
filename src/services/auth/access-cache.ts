import type { AccessMemory } from '../../db/access-changes';
import type { TokenStanding } from '../../db/stores/customer-store';
import { LruMap } from '../shared/lru-map';

/** Customers whose access one gateway process keeps: at about 200 bytes each, some 10 MB when full. */
export const ACCESS_CACHE_ENTRIES = 50_000;

/** Where a database read began in the cache's history; null when nothing it finds may be kept. */
export type ReadMark = number | null;

/**
 * Customers' role and token version in this process's memory, so a signed-in
 * request is checked without a statement. It is used only while trusted, that
 * is while every change made anywhere reaches it (src/db/access-changes.ts
 * says how, per database); untrusted, every check reads the database.
 *
 * A read and a change can cross: a request reads version 3, a revocation
 * commits version 4 and is forgotten here, then the request would keep 3. So
 * every change (and every loss of trust) moves the generation on, and what a
 * read found is kept only when the generation is still the one its read began
 * in.
 */
export class AccessCache implements AccessMemory {
  private readonly entries: LruMap<string, TokenStanding>;
  private generation = 0;
  private trusted = false;

  constructor(capacity: number = ACCESS_CACHE_ENTRIES) {
    this.entries = new LruMap(capacity);
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The customer's access as last read here, while trusted. */
  find(customerId: string): TokenStanding | undefined {
    return this.trusted ? this.entries.get(customerId) : undefined;
  }

  /** Taken just before reading the database, for keep(). */
  markRead(): ReadMark {
    return this.trusted ? this.generation : null;
  }

  /** Keeps what a read found, unless a change (or a loss of trust) came after the read began. */
  keep(customerId: string, access: TokenStanding, mark: ReadMark): void {
    if (mark === null || !this.trusted || mark !== this.generation) return;
    this.entries.set(customerId, access);
  }

  changed(customerId: string): void {
    this.entries.delete(customerId);
    this.generation += 1;
  }

  forgetAll(): void {
    this.entries.clear();
    this.generation += 1;
  }

  trust(): void {
    this.forgetAll();
    this.trusted = true;
  }

  distrust(): void {
    this.trusted = false;
    this.forgetAll();
  }
}
