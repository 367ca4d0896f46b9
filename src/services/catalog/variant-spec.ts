import { VariantKind } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { userFailure, type Failure } from '../shared/outcome';
import type { NewVariant } from './catalog-admin.service';
import { holdsStock } from './variant-kinds';

/**
 * What each kind of variant may carry, checked before anything is written:
 * a license cap only on DIGITAL, stock only on PHYSICAL, a billing interval
 * on every plan (SUBSCRIPTION) and on nothing else. Null when every variant fits.
 */
export function refusedVariantSpec(variants: readonly NewVariant[]): Failure | null {
  for (const [index, spec] of variants.entries()) {
    const kind = spec.kind ?? VariantKind.PHYSICAL;
    const refuse = (message: string, field: string) => userFailure(ErrorCode.VALIDATION_FAILED, message, `variants.${index}.${field}`);
    if (kind !== VariantKind.DIGITAL && spec.maxLicenses != null) return refuse('Only a DIGITAL variant has a license cap.', 'maxLicenses');
    if (!holdsStock(kind) && spec.stock !== 0) return refuse(`A ${kind} variant has no stock: give stock 0.`, 'stock');
    if (kind === VariantKind.SUBSCRIPTION && !spec.billingInterval) return refuse('A plan (SUBSCRIPTION) needs a billing interval.', 'billingInterval');
    if (kind !== VariantKind.SUBSCRIPTION && spec.billingInterval != null)
      return refuse('Only a plan (SUBSCRIPTION) has a billing interval.', 'billingInterval');
    if (kind !== VariantKind.SUBSCRIPTION && spec.billingIntervalCount != null) {
      return refuse('Only a plan (SUBSCRIPTION) has a billing interval count.', 'billingIntervalCount');
    }
  }
  return null;
}
