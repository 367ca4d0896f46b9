import type { AddressValue } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { userFailure, type Failure } from '../shared/outcome';
import { isCountryCode } from './country-codes';

/** Column limits, shared with the GraphQL input so both layers refuse the same thing. */
export const ADDRESS_LIMITS = { name: 200, line1: 200, city: 100, postalCode: 20, country: 2 } as const;

/** Trimmed fields, country upper-cased: the one form stored and hashed into the version key. */
export function normalizeAddress(address: AddressValue): AddressValue {
  return {
    name: address.name.trim(),
    line1: address.line1.trim(),
    city: address.city.trim(),
    postalCode: address.postalCode.trim(),
    country: address.country.trim().toUpperCase(),
  };
}

/** The normalized address, or the first problem with it. Postal codes may be empty: not every country has them. */
export function validateAddress(input: AddressValue): { address: AddressValue } | { failure: Failure } {
  const address = normalizeAddress(input);
  for (const field of ['name', 'line1', 'city', 'postalCode', 'country'] as const) {
    if (address[field].length > ADDRESS_LIMITS[field]) {
      return { failure: userFailure(ErrorCode.VALIDATION_FAILED, `${field} is longer than ${ADDRESS_LIMITS[field]} characters.`, `address.${field}`) };
    }
  }
  for (const field of ['name', 'line1', 'city'] as const) {
    if (address[field].length === 0) return { failure: userFailure(ErrorCode.VALIDATION_FAILED, `${field} is required.`, `address.${field}`) };
  }
  if (!isCountryCode(address.country)) {
    return { failure: userFailure(ErrorCode.VALIDATION_FAILED, 'country must be an ISO 3166-1 alpha-2 code such as DE or US.', 'address.country') };
  }
  return { address };
}
