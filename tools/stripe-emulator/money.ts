import { invalidRequest } from './errors';
import type { Params } from './params';

/** Stripe's largest accepted amount (eight digits in minor units). */
export const MAX_AMOUNT = 99_999_999;

// Minimum charge amounts in minor units, from Stripe's published table.
const MINIMUM_CHARGE: Readonly<Record<string, number>> = {
  usd: 50,
  eur: 50,
  chf: 50,
  aud: 50,
  cad: 50,
  nzd: 50,
  sgd: 50,
  gbp: 30,
  jpy: 50,
  dkk: 250,
  sek: 300,
  nok: 300,
  pln: 200,
  czk: 1500,
  huf: 17500,
  hkd: 400,
  mxn: 1000,
  brl: 50,
  inr: 50,
  ron: 200,
};
const DEFAULT_MINIMUM_CHARGE = 50;
const ZERO_DECIMAL = new Set(['jpy', 'krw', 'vnd', 'clp']);

export function readCurrency(params: Params, name = 'currency'): string {
  const currency = params.requiredString(name).toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(MINIMUM_CHARGE, currency)) {
    throw invalidRequest(`Invalid currency: ${currency}. The emulator supports: ${Object.keys(MINIMUM_CHARGE).join(', ')}`, {
      param: params.nameOf(name),
    });
  }
  return currency;
}

export function readAmount(params: Params, name = 'amount'): number {
  return params.requiredInteger(name, { min: 1, max: MAX_AMOUNT });
}

/** A charge below the currency minimum is refused as `amount_too_small`, like Stripe does. */
export function assertChargeable(amount: number, currency: string, param = 'amount'): void {
  const minimum = MINIMUM_CHARGE[currency] ?? DEFAULT_MINIMUM_CHARGE;
  if (amount < minimum) {
    throw invalidRequest(`Amount must be at least ${formatMinorUnits(minimum, currency)} ${currency}`, {
      code: 'amount_too_small',
      param,
    });
  }
}

/** Human rendering for messages only; amounts stay integers everywhere else. */
export function formatMinorUnits(amount: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return String(amount);
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}
