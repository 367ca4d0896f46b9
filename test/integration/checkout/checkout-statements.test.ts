import { PaymentMethodKind, VoucherKind } from '../../../src/entities';
import { anAddress, buildCart } from '../../factories/cart.factory';
import { buildProduct, buildShippingMethod, buildTaxRate, buildVoucher } from '../../factories/catalog.factory';
import { grantTestCredit, START_CHECKOUT } from '../../factories/checkout.factory';
import { usePaymentsApp } from '../../support/payments-app';
import { testDialect } from '../../support/test-database';
import { CONFIRM_WITH_PAYMENT } from '../payments/payments-harness';

/**
 * Statement budgets of confirmCheckout per payment kind, BEGIN and COMMIT
 * included, on a previewed cart with two lines, a taxed address and a voucher —
 * the storefront's path. Cash on delivery and store credit take the local path,
 * one transaction; a card or hosted payment is two, around the Stripe call. On
 * PostgreSQL the cart's NOWAIT row lock rides on the cart's read
 * (checkout-store), and the rows nothing reads back in the transaction (order,
 * lines, payment, idempotency record, outbox event) wait in the unit of work
 * and go out with the saga row's insert in one statement. libSQL serializes
 * writers, needs no lock, and runs in-process, with no round trip to save.
 */
// STORE_CREDIT, the one signed-in case, confirms with a token its startCheckout already presented: the
// caller's token version and role come from the process's access cache, with no statement (issue 22).
const BUDGETS = {
  postgresql: { CASH_ON_DELIVERY: 7, STORE_CREDIT: 10, CARD: 18, HOSTED_CHECKOUT: 15, UNPREVIEWED: 10 },
  libsql: { CASH_ON_DELIVERY: 14, STORE_CREDIT: 17, CARD: 23, HOSTED_CHECKOUT: 19, UNPREVIEWED: 15 },
}[testDialect()];

describe('confirmCheckout statement budgets', () => {
  let recorded: string[] | null = null;
  const payments = usePaymentsApp({ start: { onQuery: (sql) => recorded?.push(sql) } });
  const app = () => payments.app;
  const em = () => app().orm.em.fork();

  async function previewedCart(options: { customerId?: string; token?: string } = {}) {
    const { variants } = await buildProduct(em(), {
      variants: [
        { price: 1_000, currency: 'EUR', stock: 50 },
        { price: 2_500, currency: 'EUR', stock: 50 },
      ],
    });
    const method = await buildShippingMethod(em(), { price: 490, currency: 'EUR' });
    await buildTaxRate(em(), 'DE', 1_900);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 1_000 });
    const cart = await buildCart(em(), {
      customerId: options.customerId ?? null,
      email: options.customerId ? null : 'budget@example.com',
      lines: [
        { variant: variants[0], quantity: 1 },
        { variant: variants[1], quantity: 2 },
      ],
      shippingMethod: method,
      shippingAddress: anAddress({ country: 'DE' }),
      voucherCodes: [voucher.code],
    });
    const preview = await app().gql(START_CHECKOUT, { input: { cartId: cart.id } }, { token: options.token });
    return { cartId: cart.id, versionKey: preview.data.startCheckout.versionKey as string };
  }

  async function confirmCounted(input: Record<string, unknown>, token?: string) {
    recorded = [];
    try {
      const response = await app().gql(CONFIRM_WITH_PAYMENT, { input }, { token });
      return { answer: response.data?.confirmCheckout, statements: recorded };
    } finally {
      recorded = null;
    }
  }

  const transactions = (statements: string[]) => statements.filter((sql) => /^\[query\] begin\b/i.test(sql)).length;

  it.each([PaymentMethodKind.CASH_ON_DELIVERY, PaymentMethodKind.CARD, PaymentMethodKind.HOSTED_CHECKOUT])(
    'when a guest confirms a previewed cart with %s, then it stays within its statement budget',
    async (paymentMethod) => {
      const cart = await previewedCart();
      const card = paymentMethod === PaymentMethodKind.CARD ? { stripePaymentMethodId: 'pm_card_visa' } : {};
      const { answer, statements } = await confirmCounted({ ...cart, paymentMethod, ...card });
      expect(answer.__typename).toBe('CheckoutConfirmation');
      expect(statements.length).toBeLessThanOrEqual(BUDGETS[paymentMethod]);
      expect(transactions(statements)).toBe(paymentMethod === PaymentMethodKind.CASH_ON_DELIVERY ? 1 : 2);
    },
  );

  it('when a first confirmation answers order.payments, then it answers the payment it wrote without reading it back, and a replay reads the same', async () => {
    const cart = await previewedCart();
    const WITH_ORDER_PAYMENTS = `mutation($input: ConfirmCheckoutInput!) { confirmCheckout(input: $input) {
      ... on CheckoutConfirmation { replayed payment { id status } order { payments { id status amount { amount } } } } } }`;
    const input = { ...cart, paymentMethod: PaymentMethodKind.CASH_ON_DELIVERY };
    recorded = [];
    const first = (await app().gql(WITH_ORDER_PAYMENTS, { input })).data.confirmCheckout;
    const afterCommit = recorded.slice(recorded.findIndex((sql) => /^\[query\] commit/i.test(sql)) + 1);
    recorded = null;
    expect(afterCommit.filter((sql) => /from\s+["`]?payments/i.test(sql))).toEqual([]);
    expect(first.order.payments).toEqual([{ id: first.payment.id, status: first.payment.status, amount: expect.any(Object) }]);

    const replay = (await app().gql(WITH_ORDER_PAYMENTS, { input })).data.confirmCheckout;
    expect(replay.replayed).toBe(true);
    expect(replay.order.payments).toEqual(first.order.payments);
  });

  it('when a customer pays with store credit, then the whole checkout is one transaction within its budget', async () => {
    const customer = await app().customer();
    await grantTestCredit(em(), customer.id, 100_000);
    const cart = await previewedCart({ customerId: customer.id, token: customer.token });
    const { answer, statements } = await confirmCounted({ ...cart, paymentMethod: 'STORE_CREDIT' }, customer.token);
    expect(answer.order.status).toBe('PLACED');
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.STORE_CREDIT);
    expect(transactions(statements)).toBe(1);
  });

  it('when a cart is confirmed without a preview, then its lines are reserved under the stock locks within the budget', async () => {
    const { variants } = await buildProduct(em(), { variants: [{ price: 1_000, currency: 'EUR', stock: 50 }] });
    const cart = await buildCart(em(), {
      email: 'unpreviewed@example.com',
      lines: [{ variant: variants[0], quantity: 2 }],
      shippingMethod: await buildShippingMethod(em()),
      shippingAddress: anAddress(),
    });
    const versionKey = (await app().gql(`query($id: ID!) { cart(id: $id) { versionKey } }`, { id: cart.id })).data.cart.versionKey;
    const { answer, statements } = await confirmCounted({ cartId: cart.id, versionKey, paymentMethod: 'CASH_ON_DELIVERY' });
    expect(answer.order.status).toBe('PLACED');
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.UNPREVIEWED);
    expect(transactions(statements)).toBe(1);
  });
});
