import type { Orm } from '../../src/db/orm';
import {
  License,
  OrderLine,
  Payment,
  Variant,
  VariantKind,
  Cart,
  CartStatus,
  CreditLedgerEntry,
  IdempotencyRecord,
  IdempotencyStatus,
  Order,
  OrderStatus,
  RedemptionStatus,
  Reservation,
  ReservationStatus,
  SagaExecution,
  SagaStatus,
  StockLevel,
  Voucher,
  VoucherRedemption,
} from '../../src/entities';

export interface InvariantOptions {
  /** startCheckout previews legitimately leave ACTIVE reservations on OPEN carts. */
  allowPreviewReservations?: boolean;
  now?: Date;
}

/**
 * Reads the whole database and lists every broken checkout invariant
 * (invariants 3–8 and 10 of docs/design.md). Tests assert the list is empty, so a failure names
 * exactly what broke.
 */
export async function checkoutInvariantViolations(orm: Orm, options: InvariantOptions = {}): Promise<string[]> {
  const em = orm.em.fork();
  const now = options.now ?? new Date();
  const problems: string[] = [];
  const orders = new Map((await em.find(Order, {})).map((o) => [o.id, o]));
  const redemptions = await em.find(VoucherRedemption, {});
  const reservations = await em.find(Reservation, {});
  const carts = new Map((await em.find(Cart, {})).map((c) => [c.id, c]));

  // Invariant 4: a live redemption has a live order (or is a credit grant).
  for (const r of redemptions) {
    if (r.status === RedemptionStatus.RELEASED || r.creditGranted !== null) continue;
    const order = r.orderId ? orders.get(r.orderId) : undefined;
    if (!order || order.status === OrderStatus.CANCELLED) problems.push(`redemption ${r.id} is ${r.status} without a live order`);
    if (r.status === RedemptionStatus.CONSUMED && order && order.status === OrderStatus.PENDING_PAYMENT)
      problems.push(`redemption ${r.id} CONSUMED for a pending order`);
  }
  // Invariant 3: the counter is exactly the live redemptions.
  for (const v of await em.find(Voucher, {})) {
    const live = redemptions.filter((r) => r.voucher.id === v.id && r.status !== RedemptionStatus.RELEASED).length;
    if (v.redemptionCount !== live) problems.push(`voucher ${v.code} counts ${v.redemptionCount} but has ${live} live redemptions`);
    if (v.maxRedemptions !== null && live > v.maxRedemptions) problems.push(`voucher ${v.code} exceeds its cap: ${live} > ${v.maxRedemptions}`);
  }
  // Invariant 5: stock never negative; no reservation outlives its checkout.
  const reservedByVariant = new Map<string, number>();
  for (const r of reservations) {
    if (r.status !== ReservationStatus.ACTIVE) continue;
    const cart = carts.get(r.cartId);
    const midCheckout = cart?.status === CartStatus.CHECKING_OUT || (options.allowPreviewReservations && cart?.status === CartStatus.OPEN);
    if (!midCheckout) problems.push(`reservation ${r.id} is ACTIVE for a cart that is ${cart?.status ?? 'missing'}`);
    if (r.expiresAt > now) reservedByVariant.set(r.variant.id, (reservedByVariant.get(r.variant.id) ?? 0) + r.quantity);
  }
  const onHandByVariant = new Map<string, number>();
  for (const level of await em.find(StockLevel, {})) {
    if (level.onHand < 0) problems.push(`stock level ${level.id} is negative (${level.onHand})`);
    onHandByVariant.set(level.variant.id, (onHandByVariant.get(level.variant.id) ?? 0) + level.onHand);
  }
  for (const [variantId, reserved] of reservedByVariant) {
    if ((onHandByVariant.get(variantId) ?? 0) < reserved) problems.push(`variant ${variantId} has more reserved (${reserved}) than on hand`);
  }
  // Credit: every spend belongs to a live order or has its reversal; balances never negative.
  const ledger = await em.find(CreditLedgerEntry, {});
  const keys = new Set(ledger.map((e) => e.entryKey));
  const balances = new Map<string, number>();
  for (const entry of ledger) {
    const account = `${entry.customerId}/${entry.currency}`;
    balances.set(account, (balances.get(account) ?? 0) + entry.amount);
    if (!entry.entryKey.endsWith(':spend')) continue;
    const order = entry.orderId ? orders.get(entry.orderId) : undefined;
    const reversed = keys.has(`order:${entry.orderId}:reversal`);
    if ((!order || order.status === OrderStatus.CANCELLED) && !reversed) problems.push(`credit spend ${entry.entryKey} has no live order and no reversal`);
    if (order && order.status !== OrderStatus.CANCELLED && reversed) problems.push(`credit of live order ${order.id} was reversed`);
  }
  for (const [account, balance] of balances) if (balance < 0) problems.push(`credit balance of ${account} is negative (${balance})`);
  // Licenses: one per digital unit of every order that was placed, none for any other; no cap exceeded.
  const physicalLines = new Set((await em.find(OrderLine, { kind: VariantKind.PHYSICAL })).map((line) => line.order.id));
  const licenses = await em.find(License, {});
  // Nothing is granted before the money is: an order with licenses owed nothing after credit, or its payment was captured in full.
  const payments = await em.find(Payment, {});
  for (const order of orders.values()) {
    const issued = licenses.filter((l) => l.orderId === order.id).length;
    const expected = order.placedAt ? order.digitalUnits : 0;
    if (issued !== expected) problems.push(`order ${order.id} (${order.status}) has ${issued} licenses, expected ${expected}`);
    const paid = order.amountDue === 0 || payments.some((p) => p.orderId === order.id && p.captured >= order.amountDue);
    if (issued > 0 && !paid) problems.push(`order ${order.id} has ${issued} licenses but its payment of ${order.amountDue} was never captured`);
  }
  for (const variant of await em.find(Variant, { kind: VariantKind.DIGITAL })) {
    if (variant.maxLicenses !== null && variant.licensesClaimed > variant.maxLicenses)
      problems.push(`variant ${variant.id} claimed ${variant.licensesClaimed} licenses over its cap ${variant.maxLicenses}`);
    const issued = licenses.filter((l) => l.variantId === variant.id).length;
    if (issued > variant.licensesClaimed) problems.push(`variant ${variant.id} issued ${issued} licenses but claimed ${variant.licensesClaimed}`);
  }
  // Finalize effects of every placed order.
  const claims = await em.find(IdempotencyRecord, {});
  for (const order of orders.values()) {
    if (order.status !== OrderStatus.PLACED || !order.cartId) continue;
    if (carts.get(order.cartId)?.status !== CartStatus.CONVERTED) problems.push(`placed order ${order.id} but its cart is not CONVERTED`);
    const shipsUnits = physicalLines.has(order.id);
    if (shipsUnits && !reservations.some((r) => r.orderId === order.id && r.status === ReservationStatus.CONVERTED))
      problems.push(`placed order ${order.id} converted no reservation`);
    if (redemptions.some((r) => r.orderId === order.id && r.status === RedemptionStatus.HELD))
      problems.push(`placed order ${order.id} still HOLDS a redemption`);
    if (!claims.some((c) => c.resultId === order.id && c.status === IdempotencyStatus.COMPLETED))
      problems.push(`placed order ${order.id} has no completed idempotency record`);
  }
  // Invariant 10: no saga left half-way, no key left claimed.
  for (const saga of await em.find(SagaExecution, {})) {
    if (saga.status !== SagaStatus.COMPLETED && saga.status !== SagaStatus.COMPENSATED)
      problems.push(`saga ${saga.id} is ${saga.status} at step ${saga.stepsCompleted}`);
  }
  for (const claim of claims) if (claim.status === IdempotencyStatus.IN_PROGRESS) problems.push(`idempotency key ${claim.key} is still IN_PROGRESS`);
  for (const cart of carts.values()) if (cart.status === CartStatus.CHECKING_OUT) problems.push(`cart ${cart.id} is stuck CHECKING_OUT`);
  return problems;
}

export async function assertCheckoutInvariants(orm: Orm, options: InvariantOptions = {}): Promise<void> {
  expect(await checkoutInvariantViolations(orm, options)).toEqual([]);
}
