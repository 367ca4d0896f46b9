import type { EntityManager } from '../../db/orm';
import { License, LicenseStatus, Product, Variant } from '../../entities';
import { looksLikeLicenseKey } from './license-keys';

/** The public answer about a key: its state and what it licenses, nothing about its buyer or order. */
export interface LicenseVerification {
  valid: boolean;
  status: LicenseStatus | null;
  productName: string | null;
  variantSku: string | null;
  revokedAt: Date | null;
}

const UNKNOWN: LicenseVerification = { valid: false, status: null, productName: null, variantSku: null, revokedAt: null };

/** Licenses to list, newest first, at most this many (a customer's list is capped). */
export const MAX_LISTED_LICENSES = 100;

/** The read side of licenses: verifying a key, listing a customer's. */
export class LicenseQueries {
  constructor(private readonly em: EntityManager) {}

  /**
   * verifyLicense: the key looked up by its unique index. A key that is not
   * shaped like one is answered unknown without any SQL. `known` tells the
   * rate limit whether this was a key that exists.
   */
  async verify(key: string): Promise<{ known: boolean; answer: LicenseVerification }> {
    const trimmed = key.trim().toUpperCase();
    if (!looksLikeLicenseKey(trimmed)) return { known: false, answer: UNKNOWN };
    const license = await this.em.findOne(License, { key: trimmed }, { fields: ['id', 'status', 'variantId', 'revokedAt'] });
    if (!license) return { known: false, answer: UNKNOWN };
    const variant = await this.em.findOne(Variant, { id: license.variantId }, { fields: ['sku', 'product'] });
    const product = variant ? await this.em.findOne(Product, { id: variant.product.id }, { fields: ['name'] }) : null;
    return {
      known: true,
      answer: {
        valid: license.status === LicenseStatus.ACTIVE,
        status: license.status,
        productName: product?.name ?? null,
        variantSku: variant?.sku ?? null,
        revokedAt: license.revokedAt,
      },
    };
  }

  /** A customer's licenses, newest first, at most MAX_LISTED_LICENSES. */
  ofCustomer(customerId: string): Promise<License[]> {
    return this.em.find(License, { customerId }, { orderBy: [{ issuedAt: 'desc' }, { unitIndex: 'desc' }], limit: MAX_LISTED_LICENSES });
  }
}
