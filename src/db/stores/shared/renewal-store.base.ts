import {
  LIVE_SUBSCRIPTION_STATUSES,
  SubscriptionPeriod,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
  type BillingInterval,
  type OrderStatus,
  type PaymentMethodKind,
} from '../../../entities';
import { dateOf, intOf, stringOrNull } from '../../sql/row-values';
import type { Row } from '../../sql/sql';
import type { UnitOfWork } from '../../unit-of-work';
import type { DueCheck } from '../due-check';
import type { DueCharge, EndedSubscription, NewPeriod, RenewalStore, SubscriptionsGlance } from '../renewal-store';
import type { ClaimWithLease } from './lease-claim';

/** Live subscriptions whose period ended with no row yet for the next one: the claim's predicate and half of the due check. */
const ENDED = `s.status in (?) and s.current_period_end <= ?
  and not exists (select 1 from subscription_periods p where p.subscription_id = s.id and p.period_start = s.current_period_end)`;

/** OPEN periods whose next attempt is due (a first attempt, a retry, or a lease that lapsed with the outcome unknown). */
const CHARGE_DUE = 'status in (?) and next_attempt_at <= ?';

const truthy = (value: unknown): boolean => value === true || Number(value) === 1;

/** The renewal statements, alike on both dialects but for how a claim locks. */
export abstract class RenewalStoreBase implements RenewalStore {
  protected abstract readonly claimWithLease: ClaimWithLease;
  /** Appended to the ended-subscription claim: `for update of s skip locked` on PostgreSQL, nothing on libSQL. */
  protected abstract readonly claimLock: string;

  async claimEnded(uow: UnitOfWork, now: Date): Promise<EndedSubscription | null> {
    await uow.readable(SubscriptionPeriod);
    const [row] = await uow.sql.rows(
      `select s.id, s.customer_id, c.email, s.status, s.plan_variant_id, v.sku, v.name as variant_name, pr.name as product_name, v.price, v.currency,
        s.billing_interval, s.billing_interval_count, s.anchor, s.current_period_end, s.cancel_at_period_end, s.use_credit
      from subscriptions s join customers c on c.id = s.customer_id join variants v on v.id = s.plan_variant_id join products pr on pr.id = v.product_id
      where ${ENDED} order by s.current_period_end, s.id limit 1 ${this.claimLock}`,
      [LIVE_SUBSCRIPTION_STATUSES, uow.sql.time(now)],
    );
    return row ? endedOf(row) : null;
  }

  async insertPeriod(uow: UnitOfWork, period: NewPeriod): Promise<boolean> {
    await uow.flush();
    const { sql } = uow;
    const written = await sql.write(
      `insert into subscription_periods (id, subscription_id, period_start, period_end, status, order_id, attempt_count, next_attempt_at, created_at)
      values (?, ?, ?, ?, ?, ?, 0, ?, ?) on conflict (subscription_id, period_start) do nothing`,
      [
        period.id,
        period.subscriptionId,
        sql.time(period.periodStart),
        sql.time(period.periodEnd),
        SubscriptionPeriodStatus.OPEN,
        period.orderId,
        period.nextAttemptAt ? sql.time(period.nextAttemptAt) : null,
        sql.time(period.createdAt),
      ],
    );
    return written === 1;
  }

  async claimDueCharges(uow: UnitOfWork, now: Date, leaseUntil: Date, limit: number): Promise<DueCharge[]> {
    const claimed = await this.claimWithLease(uow.sql, {
      table: 'subscription_periods',
      lease: 'next_attempt_at = ?',
      leaseParams: [uow.sql.time(leaseUntil)],
      due: CHARGE_DUE,
      dueParams: [[SubscriptionPeriodStatus.OPEN], uow.sql.time(now)],
      orderBy: 'next_attempt_at, id',
      limit,
    });
    if (claimed.length === 0) return [];
    const rows = await uow.sql.rows(
      `select p.id, p.subscription_id, s.status, p.period_start, p.period_end, p.attempt_count, p.created_at, p.order_id, o.status as order_status, o.payment_kind, o.credit_applied, o.amount_due, o.currency, o.payment_link_id,
        s.customer_id, o.email, s.stripe_customer_id, s.saved_payment_method_id
      from subscription_periods p join subscriptions s on s.id = p.subscription_id join orders o on o.id = p.order_id
      where p.id in (?) order by p.period_start, p.id`,
      [claimed.map((row) => String(row.id))],
    );
    return rows.map(dueChargeOf);
  }

  renewalsDue(now: Date): DueCheck {
    return {
      sql: `exists (select 1 from subscriptions s where ${ENDED}) or exists (select 1 from subscription_periods where ${CHARGE_DUE})`,
      params: [LIVE_SUBSCRIPTION_STATUSES, now, [SubscriptionPeriodStatus.OPEN], now],
    };
  }

  async subscriptionsAtAGlance(uow: UnitOfWork): Promise<SubscriptionsGlance> {
    const rows = await uow.sql.rows(
      `select status as label, count(*) as n from subscriptions group by status
      union all select 'failing_renewals', count(*) from subscription_periods where status in (?) and attempt_count > 0`,
      [[SubscriptionPeriodStatus.OPEN]],
    );
    const glance: SubscriptionsGlance = { byStatus: {}, failingRenewals: 0 };
    for (const row of rows) {
      if (row.label === 'failing_renewals') glance.failingRenewals = intOf(row.n);
      else glance.byStatus[String(row.label) as SubscriptionStatus] = intOf(row.n);
    }
    return glance;
  }
}

function endedOf(row: Row): EndedSubscription {
  return {
    id: String(row.id),
    customerId: String(row.customer_id),
    email: String(row.email),
    status: String(row.status) as SubscriptionStatus,
    planVariantId: String(row.plan_variant_id),
    planSku: String(row.sku),
    planName: `${String(row.product_name)} — ${String(row.variant_name)}`,
    price: intOf(row.price),
    currency: String(row.currency),
    billingInterval: String(row.billing_interval) as BillingInterval,
    billingIntervalCount: intOf(row.billing_interval_count),
    anchor: dateOf(row.anchor),
    currentPeriodEnd: dateOf(row.current_period_end),
    cancelAtPeriodEnd: truthy(row.cancel_at_period_end),
    useCredit: truthy(row.use_credit),
  };
}

function dueChargeOf(row: Row): DueCharge {
  return {
    periodId: String(row.id),
    subscriptionId: String(row.subscription_id),
    subscriptionStatus: String(row.status) as SubscriptionStatus,
    periodStart: dateOf(row.period_start),
    periodEnd: dateOf(row.period_end),
    attemptCount: intOf(row.attempt_count),
    createdAt: dateOf(row.created_at),
    orderId: String(row.order_id),
    orderStatus: String(row.order_status) as OrderStatus,
    paymentKind: String(row.payment_kind) as PaymentMethodKind,
    creditApplied: intOf(row.credit_applied),
    paymentLinkId: stringOrNull(row.payment_link_id),
    amountDue: intOf(row.amount_due),
    currency: String(row.currency),
    customerId: String(row.customer_id),
    email: String(row.email),
    stripeCustomerId: stringOrNull(row.stripe_customer_id),
    savedPaymentMethodId: stringOrNull(row.saved_payment_method_id),
  };
}
