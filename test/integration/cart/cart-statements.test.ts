import { VoucherKind } from '../../../src/entities';
import { anAddress, buildCart, cartApi } from '../../factories/cart.factory';
import { buildProduct, buildShippingMethod, buildTaxRate, buildVoucher } from '../../factories/catalog.factory';
import { START_CHECKOUT } from '../../factories/checkout.factory';
import { testDialect } from '../../support/test-database';
import { useCartTestApp } from './cart-test-app';

/**
 * Statement budgets of every cart request (issue 8, "one read per cart
 * mutation"), BEGIN and COMMIT included, on the cart a buyer has mid-flow:
 * two lines, a shipping method, a taxed address and a voucher.
 * - PostgreSQL: one read, then one guarded statement holding the claim and the
 *   writes (cart-guarded-write.ts), no transaction; nothing to write is the read alone.
 * - libSQL: BEGIN, the claiming version bump, one read, the one write that
 *   changed, COMMIT; the change rides on the claim (setShippingAddress), or
 *   nothing is to be written and it rolls back, in four.
 * (Before issue 8 these took 6 to 11, createCart 3, the cart query 3,
 * startCheckout 12 to 13; before the guarded statement, 5 on PostgreSQL too.)
 */
const MUTATION = testDialect() === 'postgresql' ? 2 : 5;
const CLAIM_ONLY = testDialect() === 'postgresql' ? 2 : 4;
const NOTHING_TO_WRITE = testDialect() === 'postgresql' ? 1 : 4;
/**
 * Reservations are the inventory's statements, counted here, owned there: the
 * stock rows locked (PostgreSQL only), the earlier hold released, what is free
 * read, one multi-row insert (before issue 8: 10 to 13 in all).
 */
const START_CHECKOUT_BUDGET = testDialect() === 'postgresql' ? 8 : 7;

describe('cart statement budgets', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();

  async function midFlowCart() {
    const { variants } = await buildProduct(em(), {
      variants: [{ price: 1_000, currency: 'EUR', stock: 50 }, { price: 2_500, currency: 'EUR', stock: 50 }, { price: 700, currency: 'EUR', stock: 50 }],
    });
    const method = await buildShippingMethod(em(), { price: 490, currency: 'EUR' });
    const other = await buildShippingMethod(em(), { price: 990, currency: 'EUR' });
    await buildTaxRate(em(), 'DE', 1_900);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 1_000 });
    const spare = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 100 });
    const cart = await buildCart(em(), {
      email: 'mid-flow@example.com',
      lines: [{ variant: variants[0], quantity: 1 }, { variant: variants[1], quantity: 2 }],
      shippingMethod: method,
      shippingAddress: anAddress({ country: 'DE' }),
      voucherCodes: [voucher.code],
    });
    return { cart, variants, other, spare };
  }

  async function counted<T>(call: () => Promise<T>): Promise<{ answer: T; statements: string[] }> {
    let answer!: T;
    const statements = await h.statementsDuring(async () => {
      answer = await call();
    });
    return { answer, statements };
  }

  it('when each cart mutation runs on a mid-flow cart, then it stays within its statement budget and answers the cart', async () => {
    const { cart, variants, other, spare } = await midFlowCart();
    const api = cartApi(h.app);
    const lineId = cart.lines[1].id;
    const cases: [string, number, () => Promise<{ __typename: string }>][] = [
      ['addCartLine (new line)', MUTATION, () => api.addLine(cart.id, variants[2].id, 1)],
      ['addCartLine (merge)', MUTATION, () => api.addLine(cart.id, variants[0].id, 1)],
      ['updateCartLine (raise, stock checked)', MUTATION, () => api.updateLine(cart.id, lineId, 3)],
      ['updateCartLine (lower)', MUTATION, () => api.updateLine(cart.id, lineId, 1)],
      ['updateCartLine (remove)', MUTATION, () => api.updateLine(cart.id, lineId, 0)],
      ['setShippingMethod', MUTATION, () => api.setShippingMethod(cart.id, other.id)],
      ['setShippingAddress', CLAIM_ONLY, () => api.setShippingAddress(cart.id, anAddress({ country: 'FR' }))],
      ['applyVoucher', MUTATION, () => api.applyVoucher(cart.id, spare.code)],
      ['applyVoucher (already on)', NOTHING_TO_WRITE, () => api.applyVoucher(cart.id, spare.code)],
      ['removeVoucher', MUTATION, () => api.removeVoucher(cart.id, spare.code)],
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
    // PostgreSQL decides on its one read and never writes; libSQL rolls its claim back.
    if (testDialect() === 'postgresql') expect(statements).toEqual([expect.stringMatching(/^\[query\] select /)]);
    else expect(statements.at(-1)).toMatch(/rollback/);
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
