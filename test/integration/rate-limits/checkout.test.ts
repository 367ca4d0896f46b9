import { Order, OrderStatus } from '../../../src/entities';
import type { SagaFaults } from '../../../src/services/saga/saga-types';
import { buildReadyCart, CONFIRM_CHECKOUT } from '../../factories/checkout.factory';
import { usePaymentsApp } from '../../support/payments-app';
import { freshAddress, gqlAs, refusalOf, uniqueEmail, wallClock } from './rate-limit-harness';

const card = (pm: string) => ({ paymentMethod: 'CARD', stripePaymentMethodId: pm });
const GOOD_CARD = card('pm_card_visa');
const DECLINED_CARD = card('pm_card_chargeDeclined');

/** A promise and its resolver, for a step the test holds open. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('confirmCheckout rate limits', () => {
  const faults: SagaFaults = {};
  const payments = usePaymentsApp({
    env: { RATE_LIMITS: 'on', TRUST_PROXY: 'loopback', RATE_LIMIT_CHECKOUT_DECLINES: '2/20s' },
    start: { checkout: { faults } },
  });
  afterEach(() => {
    faults.beforeStep = undefined;
    wallClock.restore();
  });

  const app = () => payments.app;
  const em = () => app().orm.em.fork();
  const confirm = (from: string, cart: { cart: { id: string }; versionKey: string }, method: Record<string, string>, token?: string) =>
    gqlAs(app(), from, CONFIRM_CHECKOUT, { input: { cartId: cart.cart.id, versionKey: cart.versionKey, ...method } }, { token });

  /** The next card confirm stops at its payment step (outside any transaction) until `release`. */
  function holdNextPayment(): { reached: Promise<void>; release(): void } {
    const reached = gate();
    const released = gate();
    let held = false;
    faults.beforeStep = (stepId) => {
      if (stepId !== 'payment' || held) return;
      held = true;
      reached.open();
      return released.promise;
    };
    return { reached: reached.promise, release: released.open };
  }

  it('when a customer has a confirm in flight, then a confirm of their other cart is refused (RATE_LIMITED, retryAfter 1), and allowed once the first has ended', async () => {
    const buyer = await app().customer();
    const first = await buildReadyCart(em(), { customerId: buyer.id });
    const second = await buildReadyCart(em(), { customerId: buyer.id });
    const hold = holdNextPayment();

    const inFlight = confirm(freshAddress(), first, GOOD_CARD, buyer.token);
    await hold.reached;
    const refused = await confirm(freshAddress(), second, GOOD_CARD, buyer.token);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(await em().count(Order, { cartId: second.cart.id })).toBe(0);

    hold.release();
    expect((await inFlight).body.data?.confirmCheckout.order.status).toBe('PLACED');
    const retried = await confirm(freshAddress(), second, GOOD_CARD, buyer.token);
    expect(retried.body.data?.confirmCheckout.order.status).toBe('PLACED');
  });

  it('when an address has a confirm in flight, then another buyer at that address is refused, and a buyer elsewhere is not', async () => {
    const [holder, neighbour, stranger] = [await app().customer(), await app().customer(), await app().customer()];
    const held = await buildReadyCart(em(), { customerId: holder.id });
    const neighbours = await buildReadyCart(em(), { customerId: neighbour.id });
    const strangers = await buildReadyCart(em(), { customerId: stranger.id });
    const address = freshAddress();
    const hold = holdNextPayment();

    const inFlight = confirm(address, held, GOOD_CARD, holder.token);
    await hold.reached;
    expect(refusalOf((await confirm(address, neighbours, GOOD_CARD, neighbour.token)).body)).toEqual({ retryAfter: 1 });
    expect((await confirm(freshAddress(), strangers, GOOD_CARD, stranger.token)).body.data?.confirmCheckout.order.status).toBe('PLACED');

    hold.release();
    expect((await inFlight).body.data?.confirmCheckout.order.status).toBe('PLACED');
    expect((await confirm(address, neighbours, GOOD_CARD, neighbour.token)).body.data?.confirmCheckout.order.status).toBe('PLACED');
  });

  it('when a guest email has had 2 declines in the window, then its next confirm is refused on any cart until the window has passed', async () => {
    wallClock.freeze();
    const email = uniqueEmail('card-tester');
    const carts = [await buildReadyCart(em(), { email }), await buildReadyCart(em(), { email })];
    const from = freshAddress();

    for (let attempt = 0; attempt < 2; attempt += 1) {
      // A decline frees the idempotency key, so the same cart can try the next card.
      expect((await confirm(from, carts[0], DECLINED_CARD)).body.data?.confirmCheckout.errorCode).toBe('PAYMENT_DECLINED');
    }
    const refused = await confirm(freshAddress(), carts[1], GOOD_CARD);
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)!.retryAfter).toBeGreaterThan(10);
    expect(refusalOf(refused.body)!.retryAfter).toBeLessThanOrEqual(20);
    // Declines are the card owner's: another guest at the same address pays.
    const other = await buildReadyCart(em(), { email: uniqueEmail('someone-else') });
    expect((await confirm(from, other, GOOD_CARD)).body.data?.confirmCheckout.order.status).toBe('PLACED');

    wallClock.advance(21_000);
    expect((await confirm(from, carts[1], GOOD_CARD)).body.data?.confirmCheckout.order.status).toBe('PLACED');
    expect(await em().count(Order, { cartId: carts[1].cart.id, status: OrderStatus.PLACED })).toBe(1);
  });
});
