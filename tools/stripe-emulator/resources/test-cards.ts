import { invalidRequest } from '../errors';

/** What confirming with one of Stripe's test PaymentMethods does. */
export type CardOutcome = { kind: 'success' } | { kind: 'decline'; code: string; declineCode?: string; message: string } | { kind: 'authentication_required' };

const DECLINES: Readonly<Record<string, CardOutcome>> = {
  pm_card_chargeDeclined: { kind: 'decline', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  pm_card_chargeDeclinedInsufficientFunds: {
    kind: 'decline',
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  pm_card_chargeDeclinedExpiredCard: { kind: 'decline', code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.' },
  pm_card_authenticationRequired: { kind: 'authentication_required' },
  pm_card_threeDSecure2Required: { kind: 'authentication_required' },
};

/** Stripe's test PaymentMethods whose charges succeed. */
const SUCCEEDING: ReadonlySet<string> = new Set(['pm_card_visa', 'pm_card_visa_debit', 'pm_card_mastercard', 'pm_card_amex']);

/** What confirming with a known test PaymentMethod does (assertPaymentMethodId has vouched for it). */
export function cardOutcome(paymentMethod: string): CardOutcome {
  return DECLINES[paymentMethod] ?? { kind: 'success' };
}

/** As Stripe: a PaymentMethod id that names no PaymentMethod is resource_missing, never a silent success. */
export function assertPaymentMethodId(paymentMethod: string, param = 'payment_method'): void {
  if (!SUCCEEDING.has(paymentMethod) && !(paymentMethod in DECLINES)) {
    throw invalidRequest(`No such PaymentMethod: '${paymentMethod}'`, { code: 'resource_missing', param });
  }
}

/** The card a test PaymentMethod stands for, as a saved copy of it shows (brand and last four digits of Stripe's test numbers). */
export function testCardDetails(paymentMethod: string): { brand: string; last4: string } {
  return CARDS[paymentMethod] ?? { brand: 'visa', last4: '4242' };
}

const CARDS: Readonly<Record<string, { brand: string; last4: string }>> = {
  pm_card_visa_debit: { brand: 'visa', last4: '5556' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444' },
  pm_card_amex: { brand: 'amex', last4: '8431' },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184' },
  pm_card_threeDSecure2Required: { brand: 'visa', last4: '3220' },
};
