import { VariantKind } from '../../entities/enums';

/** Only PHYSICAL variants have units on a shelf: DIGITAL goods and plans (SUBSCRIPTION) never reserve or take stock. */
export const holdsStock = (kind: VariantKind): boolean => kind === VariantKind.PHYSICAL;

/** A plan, bought once through checkout and then renewed by the gateway (issue 21). */
export const isPlan = (kind: VariantKind): boolean => kind === VariantKind.SUBSCRIPTION;

/** A kind read back from a row or JSON: an unknown text is PHYSICAL, as rows written before the kinds existed. */
export function variantKindOf(text: unknown): VariantKind {
  if (text === VariantKind.DIGITAL) return VariantKind.DIGITAL;
  if (text === VariantKind.SUBSCRIPTION) return VariantKind.SUBSCRIPTION;
  return VariantKind.PHYSICAL;
}
