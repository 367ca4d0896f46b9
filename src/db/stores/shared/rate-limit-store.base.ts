import type { UnitOfWork } from '../../unit-of-work';
import type { CartOwner, CountWindow, ExpiredCountSweep, RateLimitStore } from '../rate-limit-store';

/** What both dialects' stores read alike. */
export abstract class RateLimitStoreBase implements RateLimitStore {
  abstract add(key: string, delta: number, windowMs: number, now: number): Promise<CountWindow>;
  abstract takeBack(key: string, now: number): Promise<void>;
  abstract set(key: string, points: number, expiresAt: number): Promise<void>;
  abstract get(key: string, now: number): Promise<CountWindow | null>;
  abstract delete(key: string): Promise<void>;
  abstract readonly sweep: ExpiredCountSweep | null;

  async cartOwner(uow: UnitOfWork, cartId: string): Promise<CartOwner | null> {
    const [row] = await uow.sql.rows<{ customer_id: string | null; email: string | null }>('select customer_id, email from carts where id = ?', [cartId]);
    return row ? { customerId: row.customer_id ?? null, email: row.email ?? null } : null;
  }
}
