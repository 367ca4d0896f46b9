import type {
  Charge,
  CheckoutSession,
  Customer,
  PaymentIntent,
  PaymentMethod,
  Refund,
  SetupFutureUsage,
  StripeObject,
  Transfer,
  TransferReversal,
} from './objects';
import type { Metadata } from './params';

export type CreatedObjectType = 'payment_intent' | 'checkout.session' | 'refund' | 'transfer' | 'transfer_reversal' | 'customer';

/** How the next off-session charge of a customer fails, when a test asked for it. */
export type OffSessionFailure = 'card_declined' | 'authentication_required';

interface CreationRecord {
  type: CreatedObjectType;
  id: string;
  /** The API request whose execution created it; null for simulated buyer actions. */
  requestId: string | null;
  /** False once the creating request answered an error (e.g. the PI of a declined create-and-confirm). */
  effective: boolean;
}

export interface CheckoutLineItem {
  name: string;
  unitAmount: number;
  quantity: number;
}

/** What a Checkout Session keeps that its wire object does not show. */
export interface CheckoutDetails {
  lineItems: CheckoutLineItem[];
  paymentIntentData: { metadata: Metadata; description: string | null; transferGroup: string | null; setupFutureUsage: SetupFutureUsage | null };
}

/** All objects of one emulated Stripe account. */
export class EmulatorState {
  readonly paymentIntents = new Map<string, PaymentIntent>();
  /** return_url is remembered for later confirmations but is not part of the PaymentIntent object. */
  readonly paymentIntentReturnUrls = new Map<string, string>();
  readonly charges = new Map<string, Charge>();
  readonly checkoutSessions = new Map<string, CheckoutSession>();
  readonly checkoutDetails = new Map<string, CheckoutDetails>();
  readonly refunds = new Map<string, Refund>();
  readonly transfers = new Map<string, Transfer>();
  readonly transferReversals = new Map<string, TransferReversal>();
  readonly customers = new Map<string, Customer>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  /** The test PaymentMethod (pm_card_...) a saved one was made from: its charges behave like that card's. */
  readonly paymentMethodSources = new Map<string, string>();
  /** Set by failNextOffSessionCharge(): consumed by that customer's next off-session confirmation. */
  readonly offSessionFailures = new Map<string, OffSessionFailure>();
  private readonly creations: CreationRecord[] = [];
  /** Set by holdNextRefund(): the next refund stays `pending` until settled. */
  holdNextRefund = false;

  recordCreation(type: CreatedObjectType, id: string, requestId: string | null): void {
    this.creations.push({ type, id, requestId, effective: true });
  }

  /** Called by the request pipeline when a request that created objects answered an error. */
  markCreationsIneffective(requestId: string): void {
    for (const record of this.creations) if (record.requestId === requestId) record.effective = false;
  }

  createdIds(type: CreatedObjectType): string[] {
    return this.creations.filter((record) => record.type === type && record.effective).map((record) => record.id);
  }

  /** Any stored object by id, used for expansion and the created-objects view. */
  find(id: string): StripeObject | undefined {
    const stores: ReadonlyArray<Map<string, StripeObject>> = [
      this.paymentIntents,
      this.charges,
      this.checkoutSessions,
      this.refunds,
      this.transfers,
      this.transferReversals,
      this.customers,
      this.paymentMethods,
    ];
    for (const store of stores) {
      const found = store.get(id);
      if (found) return found;
    }
    return undefined;
  }

  clear(): void {
    this.paymentIntents.clear();
    this.paymentIntentReturnUrls.clear();
    this.charges.clear();
    this.checkoutSessions.clear();
    this.checkoutDetails.clear();
    this.refunds.clear();
    this.transfers.clear();
    this.transferReversals.clear();
    this.customers.clear();
    this.paymentMethods.clear();
    this.paymentMethodSources.clear();
    this.offSessionFailures.clear();
    this.creations.length = 0;
    this.holdNextRefund = false;
  }
}
