import type { EntityManager } from '../../../src/db/orm';
import { Reservation, VoucherKind } from '../../../src/entities';
import { anAddress, buildCart, cartApi } from '../../factories/cart.factory';
import { buildProduct, buildShippingMethod, buildTaxRate, buildVoucher } from '../../factories/catalog.factory';
import { START_CHECKOUT } from '../../factories/checkout.factory';
import { testDialect } from '../../support/test-database';
import { useCartTestApp, type CartTestApp } from './cart-test-app';

/**
 * Statement budgets of every cart request ("one read per cart mutation"),
 * BEGIN and COMMIT included, on the cart a buyer has mid-flow: two lines, a
 * shipping method, a taxed address and a voucher. Every change is one read,
 * then the claim of the version it read (cart-guarded-write.ts):
 * - a change of cart columns only (shipping, address, vouchers): the claim
 *   carries it, one statement, on both dialects;
 * - a change of lines: on PostgreSQL the claim and the line writes are one
 *   statement; libSQL has no data-modifying CTEs, so BEGIN, the claim, the
 *   line write, COMMIT;
 * - nothing to write: the read alone.
 */
const LINE_MUTATION = testDialect() === 'postgresql' ? 2 : 5;
const COLUMN_MUTATION = 2;
const NOTHING_TO_WRITE = 1;
/**
 * Reservations are the inventory's statements, counted here, owned there: on
 * PostgreSQL the stock rows locked with the earlier hold released, then the
 * insert where every unit is free; on libSQL (one writer, no lock) the release,
 * what is free read, one multi-row insert.
 */
const START_CHECKOUT_BUDGET = testDialect() === 'postgresql' ? 6 : 7;

/** The cart a buyer has mid-flow: two lines, a shipping method, a taxed address and a voucher. */
async function buildMidFlowCart(em: () => EntityManager, customerId: string | null = null) {
  const { variants } = await buildProduct(em(), {
    variants: [
      { price: 1_000, currency: 'EUR', stock: 50 },
      { price: 2_500, currency: 'EUR', stock: 50 },
      { price: 700, currency: 'EUR', stock: 50 },
    ],
  });
  const method = await buildShippingMethod(em(), { price: 490, currency: 'EUR' });
  const other = await buildShippingMethod(em(), { price: 990, currency: 'EUR' });
  await buildTaxRate(em(), 'DE', 1_900);
  const voucher = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 1_000 });
  const spare = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 100 });
  const cart = await buildCart(em(), {
    email: customerId ? null : 'mid-flow@example.com',
    customerId,
    lines: [
      { variant: variants[0], quantity: 1 },
      { variant: variants[1], quantity: 2 },
    ],
    shippingMethod: method,
    shippingAddress: anAddress({ country: 'DE' }),
    voucherCodes: [voucher.code],
  });
  return { cart, variants, other, spare };
}

function countingWith(h: CartTestApp) {
  return async function counted<T>(call: () => Promise<T>): Promise<{ answer: T; statements: string[] }> {
    let answer!: T;
    const statements = await h.statementsDuring(async () => {
      answer = await call();
    });
    return { answer, statements };
  };
}

describe('cart statement budgets', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();
  const midFlowCart = () => buildMidFlowCart(em);
  const counted = countingWith(h);

  it('when each cart mutation runs on a mid-flow cart, then it stays within its statement budget and answers the cart', async () => {
    const { cart, variants, other, spare } = await midFlowCart();
    const api = cartApi(h.app);
    const lineId = cart.lines[1].id;
    const cases: [string, number, () => Promise<{ __typename: string }>][] = [
      ['addCartLine (new line)', LINE_MUTATION, () => api.addLine(cart.id, variants[2].id, 1)],
      ['addCartLine (merge)', LINE_MUTATION, () => api.addLine(cart.id, variants[0].id, 1)],
      ['updateCartLine (raise, stock checked)', LINE_MUTATION, () => api.updateLine(cart.id, lineId, 3)],
      ['updateCartLine (lower)', LINE_MUTATION, () => api.updateLine(cart.id, lineId, 1)],
      ['updateCartLine (remove)', LINE_MUTATION, () => api.updateLine(cart.id, lineId, 0)],
      ['setShippingMethod', COLUMN_MUTATION, () => api.setShippingMethod(cart.id, other.id)],
      ['setShippingAddress', COLUMN_MUTATION, () => api.setShippingAddress(cart.id, anAddress({ country: 'FR' }))],
      ['applyVoucher', COLUMN_MUTATION, () => api.applyVoucher(cart.id, spare.code)],
      ['applyVoucher (already on)', NOTHING_TO_WRITE, () => api.applyVoucher(cart.id, spare.code)],
      ['removeVoucher', COLUMN_MUTATION, () => api.removeVoucher(cart.id, spare.code)],
    ];
    const measured: { name: string; count: number; budget: number; typename: string }[] = [];
    for (const [name, budget, call] of cases) {
      const { answer, statements } = await counted(call);
      measured.push({ name, count: statements.length, budget, typename: answer.__typename });
    }

    console.info(`cart mutation statements (${testDialect()}):\n${measured.map((m) => `  ${m.name}: ${m.count} (budget ${m.budget})`).join('\n')}`);
    for (const m of measured) {
      expect({ name: m.name, typename: m.typename, withinBudget: m.count <= m.budget }).toEqual({ name: m.name, typename: 'Cart', withinBudget: true });
    }
  });

  it('when a cart is created, then that is one insert and no transaction', async () => {
    const { statements } = await counted(() => cartApi(h.app).create({ email: 'budget@example.com' }));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/insert into carts/);
  });

  it('when a cart is read with its lines and totals, then that is one statement', async () => {
    const { cart } = await midFlowCart();
    const { answer, statements } = await counted(() => cartApi(h.app).get(cart.id));
    expect(answer.lines).toHaveLength(2);
    expect(statements).toHaveLength(1);
  });

  it('when a change fails its business checks, then nothing is written', async () => {
    const { cart, variants } = await midFlowCart();
    // The line holds 1 unit: adding the cap's worth is only refused once merged, inside the transaction.
    const cap = h.app.config.maxReservedUnitsPerLine;
    const { answer, statements } = await counted(() => cartApi(h.app).addLine(cart.id, variants[0].id, cap));
    expect(answer).toMatchObject({ __typename: 'UserError', errorCode: 'VALIDATION_FAILED' });
    // Decided on its one read: nothing is written.
    expect(statements).toEqual([expect.stringMatching(/^\[query\] select /)]);
    expect((await cartApi(h.app).get(cart.id)).version).toBe(1);
  });

  it('when checkout starts on a mid-flow cart, then it stays within its statement budget', async () => {
    const { cart } = await midFlowCart();
    const { answer, statements } = await counted(() => h.app.gql(START_CHECKOUT, { input: { cartId: cart.id } }));
    expect(answer.data.startCheckout.__typename).toBe('CheckoutPreview');
    console.info(`startCheckout statements (${testDialect()}): ${statements.length}\n${statements.join('\n')}`);
    expect(statements.length).toBeLessThanOrEqual(START_CHECKOUT_BUDGET);
  });
});

/**
 * With the rate limits on, startCheckout also counts the units its client
 * holds in other open checkouts (held-units.ts): on PostgreSQL the client's
 * advisory lock rides on the stock lock statement and the count on the
 * conditional insert; on libSQL the count rides on the read of what is free.
 * Not one statement more, signed in or not: a token the process has checked
 * before is checked from its access cache (issue 22).
 */
describe('startCheckout statement budget with the held-units caps on', () => {
  // The caps' own cost is measured: the per-address request count every /graphql request pays is left out (rate-limits/graphql-requests.test.ts).
  const h = useCartTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_GRAPHQL_IP: 'off', TRUST_PROXY: 'loopback' });
  const em = () => h.app.orm.em.fork();
  const counted = countingWith(h);

  it('when a guest and then a signed-in customer start checkout with other holds of theirs counted, then each stays within the budget', async () => {
    const customer = await h.app.customer();
    const guest = { 'x-forwarded-for': '192.0.2.44' };
    for (const headers of [guest, { ...guest, authorization: `Bearer ${customer.token}` }]) {
      const customerId = headers === guest ? null : customer.id;
      // An earlier hold of the same client, so the count has something to find.
      const earlier = (await buildMidFlowCart(em, customerId)).cart;
      expect((await h.app.gql(START_CHECKOUT, { input: { cartId: earlier.id } }, { headers })).data.startCheckout.__typename).toBe('CheckoutPreview');
      const { cart } = await buildMidFlowCart(em, customerId);

      const { answer, statements } = await counted(() => h.app.gql(START_CHECKOUT, { input: { cartId: cart.id } }, { headers }));

      expect(answer.data.startCheckout.__typename).toBe('CheckoutPreview');
      expect(statements.length).toBeLessThanOrEqual(START_CHECKOUT_BUDGET);
    }
    expect(await em().count(Reservation, { heldBy: { $like: 'address:%' } })).toBe(4);
    expect(await em().count(Reservation, { heldBy: `customer:${customer.id}` })).toBe(4);
  });
});
