import { License, Order, OrderLine, OrderStatus, OutboxEvent, PaymentMethodKind, PaymentStatus, VariantKind } from '../../../src/entities';
import { placeOrder, type OrderPlacement, type PaymentMove } from '../../../src/services/orders/place-order';
import { FailureSignal } from '../../../src/services/shared/outcome';
import { buildDigitalVariant, buildProduct } from '../../factories/catalog.factory';
import { useCheckoutApp } from '../../factories/checkout.factory';
import { buildOrder } from '../../factories/order.factory';

/**
 * The gate itself, called the way every route calls it (finalize, webhooks,
 * recovery, payment links all place through placeOrder): an order with digital
 * units is placed only when its money is in, whatever the caller claims.
 */
describe('placeOrder: nothing is granted before the money is', () => {
  const getApp = useCheckoutApp();
  const em = () => getApp().orm.em.fork();

  /** A PENDING_PAYMENT order of 2 units of an e-book at 1,500 (plus a mug when asked, or only the mug), 500 shipping: 3,500 for the e-books. */
  async function pendingOrder(options: { creditApplied?: number; withMug?: boolean; digital?: boolean } = {}) {
    const ebook = await buildDigitalVariant(em(), { price: 1_500 });
    const {
      variants: [mug],
    } = await buildProduct(em(), { variants: [{ price: 900, currency: 'EUR', stock: 5 }] });
    const digital = options.digital ?? true;
    const lines = [...(digital ? [{ variant: ebook, quantity: 2 }] : []), ...(options.withMug || !digital ? [{ variant: mug, quantity: 1 }] : [])];
    const order = await buildOrder(em(), { status: OrderStatus.PENDING_PAYMENT, lines, creditApplied: options.creditApplied ?? 0 });
    if (digital) {
      await em().nativeUpdate(OrderLine, { order: order.id, variantId: ebook.id }, { kind: VariantKind.DIGITAL });
      await em().nativeUpdate(Order, { id: order.id }, { digitalUnits: 2 });
    }
    return {
      order,
      digitalLines: digital
        ? [{ id: (await em().findOneOrFail(OrderLine, { order: order.id, variantId: ebook.id })).id, variantId: ebook.id, quantity: 2 }]
        : [],
    };
  }

  function placing(order: Order, digitalLines: OrderPlacement['digitalLines'], payment: PaymentMove | null): OrderPlacement {
    const digitalUnits = (digitalLines ?? []).reduce((units, line) => units + line.quantity, 0);
    return {
      order: {
        orderId: order.id,
        cartId: null,
        paymentKind: PaymentMethodKind.CARD,
        creditApplied: order.creditApplied,
        amountDue: order.amountDue,
        customerId: null,
        paymentLinkId: null,
        digitalUnits,
      },
      now: new Date(),
      writtenPlaced: false,
      takeStock: async () => undefined,
      cart: null,
      claim: null,
      payment,
      digitalLines,
      strict: false,
    };
  }

  const captured = (amount: number): PaymentMove => ({ from: [PaymentStatus.PENDING], to: PaymentStatus.CAPTURED, fields: { captured: amount } });
  const authorized: PaymentMove = { from: [PaymentStatus.PENDING], to: PaymentStatus.AUTHORIZED, fields: { captured: 0 } };

  /** Runs the placement in a transaction of its own: the failure it was refused with, or null when it placed. */
  async function attempt(placement: OrderPlacement): Promise<{ code: string; field?: string } | null> {
    try {
      const { db, stores } = getApp().tillgate.deps;
      await db.transaction(em(), (uow) => placeOrder(uow, stores, placement));
      return null;
    } catch (error) {
      if (error instanceof FailureSignal) return { code: error.failure.code, field: 'field' in error.failure ? error.failure.field : undefined };
      throw error;
    }
  }

  const effectsOf = async (orderId: string) => ({
    status: (await em().findOneOrFail(Order, { id: orderId })).status,
    licenses: await em().count(License, { orderId }),
    placedEvents: await em().count(OutboxEvent, { type: 'order.placed', aggregateId: orderId }),
  });

  it.each([
    ['no payment at all (cash on delivery)', null],
    ['a payment only authorized', authorized],
    ['a capture short of the amount due by one cent', 'short'],
  ] as const)('when a digital order is placed with %s, then it is refused: still PENDING_PAYMENT, no license, no order.placed', async (_label, move) => {
    const { order, digitalLines } = await pendingOrder({ withMug: true });
    const payment = move === 'short' ? captured(order.amountDue - 1) : move;

    expect(await attempt(placing(order, digitalLines, payment))).toEqual({ code: 'VALIDATION_FAILED', field: 'paymentMethod' });
    expect(await effectsOf(order.id)).toEqual({ status: OrderStatus.PENDING_PAYMENT, licenses: 0, placedEvents: 0 });
  });

  it('when the payment is captured for the whole amount due, then it is placed with one license per digital unit', async () => {
    const { order, digitalLines } = await pendingOrder();

    expect(await attempt(placing(order, digitalLines, captured(order.amountDue)))).toBeNull();
    expect(await effectsOf(order.id)).toEqual({ status: OrderStatus.PLACED, licenses: 2, placedEvents: 1 });
  });

  it('when store credit covers the whole total, then nothing is left to pay and it is placed with its licenses', async () => {
    const { order, digitalLines } = await pendingOrder({ creditApplied: 3_500 });
    expect(order.amountDue).toBe(0);

    expect(await attempt(placing(order, digitalLines, null))).toBeNull();
    expect(await effectsOf(order.id)).toEqual({ status: OrderStatus.PLACED, licenses: 2, placedEvents: 1 });
  });

  it('when an order grants nothing (physical goods, cash on delivery), then the gate does not apply and it is placed', async () => {
    const { order } = await pendingOrder({ digital: false });

    expect(await attempt(placing(order, [], null))).toBeNull();
    expect(await effectsOf(order.id)).toEqual({ status: OrderStatus.PLACED, licenses: 0, placedEvents: 1 });
  });
});
