import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  Order,
  OrderStatus,
  Reservation,
  ReservationStatus,
  Subscription,
  SubscriptionPeriod,
  SubscriptionPeriodStatus,
  SubscriptionStatus,
  VoucherRedemption,
  RedemptionStatus,
} from '../../../src/entities';
import { isAllowedTransition, transition, UndeclaredTransitionError } from '../../../src/services/state/transition';
import { directStatusWrites } from './status-writes';

const SRC = join(__dirname, '../../../src');
/** The state module is the one place allowed to change a status; entity files only declare defaults. */
const ALLOWED = [join(SRC, 'services/state'), join(SRC, 'entities')];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('status changes', () => {
  it('when any code outside the state module writes a status directly, then this test names it', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !ALLOWED.some((dir) => file.startsWith(dir)))
      .flatMap((file) => directStatusWrites(readFileSync(file, 'utf8')).map(({ line, text }) => `${relative(SRC, file)}:${line}: ${text}`));
    expect(offenders).toEqual([]);
  });

  it('when the detector reads each kind of direct status write, then it names every one and none of the guards, reads or creations', () => {
    const offending = [
      'order.status = OrderStatus.PLACED;',
      "cart['status'] = CartStatus.OPEN;",
      'await em.nativeUpdate(Order, { id }, { status: OrderStatus.PLACED });',
      'await tx.nativeUpdate(\n  Payment,\n  { id: payment.id, status: PaymentStatus.PENDING },\n  { captured, status },\n);',
      'em.assign(order, { total: 10, status: OrderStatus.CANCELLED });',
      "wrap(order).assign({ 'status': OrderStatus.CANCELLED });",
      "await uow.sql.write('update orders set placed_at = ?, status = ? where id = ?', [sql.time(now), 'PLACED', id]);",
      "const rows = await uow.sql.rows(`UPDATE carts SET status = 'OPEN' WHERE id = ? returning id`, [cartId]);",
      'const claim = `with claim as (update carts set version = version + 1, status = ? where id = ? returning id) select id from claim`;',
      "await sql.write(\n  `update ${table} set last_error = ?,\n    status = 'DEAD' where id in (?)`,\n  [error, ids],\n);",
    ];
    const allowed = [
      'if (order.status === OrderStatus.PLACED) return;',
      'await tx.nativeUpdate(SagaExecution, { ...guard, status: SagaStatus.RUNNING }, fields);',
      'await tx.nativeUpdate(Reservation, { cartId, status: ReservationStatus.ACTIVE }, { expiresAt });',
      'return Object.assign(new PaymentType(), { id: p.id, status: p.status });',
      "await uow.sql.write('update vouchers set redemption_count = redemption_count + 1 where id = ? and status = ?', [id, 'LIVE']);",
      "await uow.sql.write(`update outbox_events set next_attempt_at = ? where id in (?) and status in ('${OutboxEventStatus.PENDING}')`, [at, ids]);",
      "const [row] = await uow.sql.rows('select id, status from orders where id = ? for update', [orderId]);",
      'tx.create(Order, { id, status: OrderStatus.PENDING_PAYMENT });',
      '// order.status = OrderStatus.PLACED, in a comment',
      '/* em.nativeUpdate(Order, { id }, { status: OrderStatus.PLACED }) */',
    ];
    for (const sample of offending) expect({ sample, found: directStatusWrites(sample).length }).toEqual({ sample, found: 1 });
    for (const sample of allowed) expect({ sample, found: directStatusWrites(sample) }).toEqual({ sample, found: [] });
  });

  it('when a move is declared, then it is allowed; when it is not, then it is refused', () => {
    expect(isAllowedTransition(Order, OrderStatus.PENDING_PAYMENT, OrderStatus.PLACED)).toBe(true);
    expect(isAllowedTransition(Order, OrderStatus.CANCELLED, OrderStatus.PLACED)).toBe(false);
    expect(isAllowedTransition(VoucherRedemption, RedemptionStatus.RELEASED, RedemptionStatus.HELD)).toBe(false);
    expect(isAllowedTransition(Reservation, ReservationStatus.ACTIVE, ReservationStatus.CONVERTED)).toBe(true);
  });

  it('when a subscription or its period moves, then only the moves of issue 21 are declared: nothing unpaid becomes paid, nothing ended comes back', () => {
    const subscription = (from: SubscriptionStatus, to: SubscriptionStatus) => isAllowedTransition(Subscription, from, to);
    expect(subscription(SubscriptionStatus.INCOMPLETE, SubscriptionStatus.ACTIVE)).toBe(true);
    expect(subscription(SubscriptionStatus.INCOMPLETE, SubscriptionStatus.INCOMPLETE_EXPIRED)).toBe(true);
    expect(subscription(SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)).toBe(true);
    expect(subscription(SubscriptionStatus.PAST_DUE, SubscriptionStatus.ACTIVE)).toBe(true);
    expect(subscription(SubscriptionStatus.PAST_DUE, SubscriptionStatus.CANCELED)).toBe(true);
    expect(subscription(SubscriptionStatus.INCOMPLETE, SubscriptionStatus.PAST_DUE)).toBe(false);
    expect(subscription(SubscriptionStatus.INCOMPLETE_EXPIRED, SubscriptionStatus.ACTIVE)).toBe(false);
    expect(subscription(SubscriptionStatus.CANCELED, SubscriptionStatus.ACTIVE)).toBe(false);
    const period = (from: SubscriptionPeriodStatus, to: SubscriptionPeriodStatus) => isAllowedTransition(SubscriptionPeriod, from, to);
    expect(period(SubscriptionPeriodStatus.OPEN, SubscriptionPeriodStatus.PAID)).toBe(true);
    expect(period(SubscriptionPeriodStatus.OPEN, SubscriptionPeriodStatus.UNCOLLECTIBLE)).toBe(true);
    expect(period(SubscriptionPeriodStatus.PAID, SubscriptionPeriodStatus.VOID)).toBe(true);
    expect(period(SubscriptionPeriodStatus.UNCOLLECTIBLE, SubscriptionPeriodStatus.PAID)).toBe(false);
    expect(period(SubscriptionPeriodStatus.PAID, SubscriptionPeriodStatus.OPEN)).toBe(false);
    expect(period(SubscriptionPeriodStatus.VOID, SubscriptionPeriodStatus.PAID)).toBe(false);
  });

  it('when transition() is asked for an undeclared move, then it throws before touching the database', async () => {
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error('the database was touched');
        },
      },
    );
    await expect(transition(untouchable as never, Order, 'some-id', OrderStatus.REFUNDED, OrderStatus.PLACED)).rejects.toBeInstanceOf(
      UndeclaredTransitionError,
    );
  });
});
