import type { BillingInterval, OrderStatus, PaymentMethodKind, SubscriptionStatus } from '../../entities';
import type { UnitOfWork } from '../unit-of-work';
import type { DueCheck } from './due-check';

/** A live subscription whose paid period has ended and whose next period has no row yet, with what its renewal order needs. */
export interface EndedSubscription {
  id: string;
  customerId: string;
  email: string;
  status: SubscriptionStatus;
  planVariantId: string;
  planSku: string;
  planName: string;
  /** The plan's price now: a renewal bills the current price. */
  price: number;
  currency: string;
  billingInterval: BillingInterval;
  billingIntervalCount: number;
  anchor: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  useCredit: boolean;
}

/** The period row a renewal writes (OPEN, due at once), its order already written beside it. */
export interface NewPeriod {
  id: string;
  subscriptionId: string;
  periodStart: Date;
  periodEnd: Date;
  orderId: string;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/** An OPEN period whose charge is due, leased to this round, with what charging it needs. */
export interface DueCharge {
  periodId: string;
  subscriptionId: string;
  subscriptionStatus: SubscriptionStatus;
  periodStart: Date;
  periodEnd: Date;
  /** Attempts already answered (declined); this round's attempt is attemptCount + 1. */
  attemptCount: number;
  createdAt: Date;
  orderId: string;
  /** PLACED when a payment link paid the renewal order meanwhile. */
  orderStatus: OrderStatus;
  paymentKind: PaymentMethodKind;
  creditApplied: number;
  amountDue: number;
  currency: string;
  paymentLinkId: string | null;
  customerId: string;
  email: string;
  stripeCustomerId: string | null;
  savedPaymentMethodId: string | null;
}

/** What /ops shows of subscriptions: how many are in each status, and how many renewals are failing. */
export interface SubscriptionsGlance {
  /** Subscriptions per status; a status no subscription has is absent. */
  byStatus: Partial<Record<SubscriptionStatus, number>>;
  /** OPEN periods with at least one failed attempt (declined, or waiting on the customer's payment link). */
  failingRenewals: number;
}

/** The renewal worker's statements: which subscriptions are due, their new periods, and which charges are due. */
export interface RenewalStore {
  /**
   * Claims one ended subscription (ACTIVE or PAST_DUE, period ended by `now`,
   * no row yet for the period starting at its end), locked until the
   * transaction ends and skipped by every other claimer (`for update skip
   * locked` on PostgreSQL; libSQL's single writer serializes claimers).
   */
  claimEnded(uow: UnitOfWork, now: Date): Promise<EndedSubscription | null>;
  /**
   * Writes the period unless (subscription, period start) already has one
   * (the unique index decides, `on conflict do nothing`): true when this call
   * wrote it, so only one process ever makes that period's order and charge.
   */
  insertPeriod(uow: UnitOfWork, period: NewPeriod): Promise<boolean>;
  /** Claims up to `limit` OPEN periods whose next attempt is due, leasing them until `leaseUntil` (their next_attempt_at), in one statement. */
  claimDueCharges(uow: UnitOfWork, now: Date, leaseUntil: Date, limit: number): Promise<DueCharge[]>;
  /** Whether a renewal round would find work: an ended subscription to renew, or a charge due. */
  renewalsDue(now: Date): DueCheck;
  /** The counts /ops shows, in one statement; nothing is locked or written. */
  subscriptionsAtAGlance(uow: UnitOfWork): Promise<SubscriptionsGlance>;
}
