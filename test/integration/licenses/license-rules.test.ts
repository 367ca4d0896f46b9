import { LicenseStatus, Order, OrderLine, OutboxEvent, SellerTransfer, TransferStatus, VariantKind } from '../../../src/entities';
import { issueLicenses } from '../../../src/services/licenses/issue-licenses';
import { orderTokenFor } from '../../../src/services/orders/order-tokens';
import { revokeOrderLicenses } from '../../../src/services/licenses/revoke-licenses';
import { SellerTransferWorker } from '../../../src/services/workers/seller-transfer.worker';
import { TransferReversalWorker } from '../../../src/services/workers/transfer-reversal.worker';
import { buildDigitalVariant, buildProduct, buildSeller } from '../../factories/catalog.factory';
import { grantTestCredit } from '../../factories/checkout.factory';
import { buildOrder } from '../../factories/order.factory';
import { buildPaidCardOrder, sellerLines } from '../../factories/payments.factory';
import { assertCheckoutInvariants } from '../../support/invariants';
import { usePaymentsApp } from '../../support/payments-app';
import { confirm } from '../payments/payments-harness';
import { REFUND_ORDER } from '../refunds/refund-api';
import { activeCount, digitalCart, licenseEvents, licensesOf, statusesOf } from './digital-goods-harness';

const CONFIRM_WITH_TOKEN = `mutation($input: ConfirmCheckoutInput!) {
  confirmCheckout(input: $input) {
    __typename
    ... on CheckoutConfirmation { orderToken order { id status totals { shipping { amount } } } }
    ... on UserError { errorCode field }
  }
}`;
const LICENSE_FIELDS = 'id key status orderId issuedAt revokedAt variant { id sku kind }';
const VERIFY = 'query($key: String!) { verifyLicense(key: $key) { valid status productName variantSku revokedAt } }';

describe('digital goods: shipping, refunds by line, cancellation, reading and verifying licenses', () => {
  const h = usePaymentsApp({ env: { PLATFORM_FEE_BPS: '1000' } });
  const em = () => h.app.orm.em.fork();

  async function refund(input: Record<string, unknown>) {
    const result = await h.app.gql(REFUND_ORDER, { input: { reason: 'requested_by_customer', ...input } }, { token: await h.app.adminToken() });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data.refundOrder;
  }

  /** A customer pays 3 + 1 units of two e-books with store credit: placed at once, 4 licenses. */
  async function creditOrder() {
    const customer = await h.app.customer();
    await grantTestCredit(em(), customer.id, 100_000);
    const [book, course] = [await buildDigitalVariant(em(), { price: 1_000 }), await buildDigitalVariant(em(), { price: 4_000 })];
    const cart = await digitalCart(h.app, [
      { variant: book, quantity: 3 },
      { variant: course, quantity: 1 },
    ]);
    await h.app.gql(
      'mutation($input: AttachCartInput!) { attachCart(input: $input) { __typename } }',
      { input: { cartId: cart.cartId } },
      { token: customer.token },
    );
    const attached = (await h.app.gql('query($id: ID!) { cart(id: $id) { versionKey } }', { id: cart.cartId }, { token: customer.token })).data.cart;
    const answer = await confirm(h.app, { cartId: cart.cartId, versionKey: attached.versionKey, paymentMethod: 'STORE_CREDIT' }, customer.token);
    expect(answer.order.status).toBe('PLACED');
    const lines = await em().find(OrderLine, { order: answer.order.id }, { orderBy: { position: 'asc' } });
    return { orderId: answer.order.id as string, bookLine: lines[0], courseLine: lines[1], customer };
  }

  it('when a cart mixes physical and digital lines, then it needs a shipping method; a digital-only cart does not and costs no shipping', async () => {
    const ebook = await buildDigitalVariant(em(), { price: 1_500 });
    const {
      variants: [mug],
    } = await buildProduct(em(), { variants: [{ price: 900, currency: 'EUR', stock: 5 }] });
    const mixed = await digitalCart(h.app, [
      { variant: ebook, quantity: 1 },
      { variant: mug, quantity: 1 },
    ]);
    const digitalOnly = await digitalCart(h.app, [{ variant: ebook, quantity: 2 }]);

    const refused = (await h.app.gql(CONFIRM_WITH_TOKEN, { input: { ...pick(mixed), ...VISA } })).data.confirmCheckout;
    const placed = (await h.app.gql(CONFIRM_WITH_TOKEN, { input: { ...pick(digitalOnly), ...VISA } })).data.confirmCheckout;

    expect(refused).toMatchObject({ __typename: 'UserError', errorCode: 'SHIPPING_METHOD_REQUIRED' });
    expect(placed).toMatchObject({ __typename: 'CheckoutConfirmation', order: { status: 'PLACED', totals: { shipping: { amount: 0 } } } });
    expect(await statusesOf(h.app, placed.order.id)).toEqual([
      [0, LicenseStatus.ACTIVE],
      [1, LicenseStatus.ACTIVE],
    ]);
    const byToken = await h.app.gql('query($token: String!) { orderByToken(token: $token) { licenses { key status } } }', { token: placed.orderToken });
    expect(byToken.data.orderByToken.licenses).toHaveLength(2);

    const withShipping = await digitalCart(
      h.app,
      [
        { variant: ebook, quantity: 1 },
        { variant: mug, quantity: 1 },
      ],
      { shipping: true },
    );
    const mixedPlaced = (await h.app.gql(CONFIRM_WITH_TOKEN, { input: { ...pick(withShipping), ...VISA } })).data.confirmCheckout;
    expect(mixedPlaced).toMatchObject({ order: { status: 'PLACED', totals: { shipping: { amount: 500 } } } });
    expect(await licensesOf(h.app, mixedPlaced.order.id)).toHaveLength(1);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a refund names lines, then on success exactly those units are REVOKED, newest first; an order-level partial refund revokes none', async () => {
    const { orderId, bookLine } = await creditOrder();

    const partial = await refund({ orderId, amount: 100, idempotencyKey: `partial-${orderId}` });
    expect(partial.status).toBe('SUCCEEDED');
    expect(await activeCount(h.app, orderId)).toBe(4);

    const byLine = await refund({ orderId, lines: [{ orderLineId: bookLine.id, quantity: 2 }], idempotencyKey: `line-${orderId}` });
    expect(byLine).toMatchObject({ status: 'SUCCEEDED', amount: { amount: 2_000 } });
    const book = (await licensesOf(h.app, orderId)).filter((l) => l.orderLineId === bookLine.id);
    expect(book.map((l) => [l.unitIndex, l.status])).toEqual([
      [0, LicenseStatus.ACTIVE],
      [1, LicenseStatus.REVOKED],
      [2, LicenseStatus.REVOKED],
    ]);
    expect(await activeCount(h.app, orderId)).toBe(2);
    expect(await licenseEvents(h.app, 'license.revoked', orderId)).toBe(2);

    const tooMany = await refund({ orderId, lines: [{ orderLineId: bookLine.id, quantity: 2 }], idempotencyKey: `again-${orderId}` });
    expect(tooMany).toMatchObject({ __typename: 'UserError', errorCode: 'REFUND_EXCEEDS_REFUNDABLE', field: 'lines.0.quantity' });
    const replay = await refund({ orderId, lines: [{ orderLineId: bookLine.id, quantity: 2 }], idempotencyKey: `line-${orderId}` });
    expect(replay.id).toBe(byLine.id);
    expect(await activeCount(h.app, orderId)).toBe(2);
  });

  it('when the rest of the order is refunded, then every license is REVOKED and revoking again changes nothing', async () => {
    const { orderId } = await creditOrder();
    const full = await refund({ orderId, idempotencyKey: `full-${orderId}` });
    expect(full.status).toBe('SUCCEEDED');
    expect(await activeCount(h.app, orderId)).toBe(0);
    expect(await licenseEvents(h.app, 'license.revoked', orderId)).toBe(4);
    const again = await em().transactional((tx) => revokeOrderLicenses(tx, { id: orderId, digitalUnits: 4 }, { refundId: full.id }, new Date()));
    expect(again).toBe(0);
    expect(await licenseEvents(h.app, 'license.revoked', orderId)).toBe(4);
    await assertCheckoutInvariants(h.app.orm);
  });

  it('when a cash-on-delivery digital order placed before such orders were refused is cancelled, then all its licenses are REVOKED once', async () => {
    // Cash on delivery no longer pays for digital items (nothing is granted before the money is), so the order is written as one placed earlier.
    const ebook = await buildDigitalVariant(em(), { price: 1_500 });
    const order = await buildOrder(em(), { lines: [{ variant: ebook, quantity: 2 }], shipping: 0 });
    await em().nativeUpdate(OrderLine, { order: order.id }, { kind: VariantKind.DIGITAL });
    await em().nativeUpdate(Order, { id: order.id }, { digitalUnits: 2 });
    const [line] = await em().find(OrderLine, { order: order.id });
    const { db, stores } = h.app.tillgate.deps;
    await em().transactional((tx) =>
      issueLicenses(
        db.unitOfWork(tx),
        stores,
        { id: order.id, customerId: null, digitalUnits: 2 },
        [{ id: line.id, variantId: ebook.id, quantity: 2 }],
        new Date(),
      ),
    );
    const orderToken = orderTokenFor(h.app.tillgate.deps.tokens, order.id);
    const cancel = 'mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { __typename ... on Order { status } ... on UserError { errorCode } } }';

    const first = await h.app.gql(cancel, { input: { orderId: order.id, orderToken, reason: 'changed my mind' } });
    const second = await h.app.gql(cancel, { input: { orderId: order.id, orderToken, reason: 'again' } });

    expect(first.data.cancelOrder).toMatchObject({ status: 'CANCELLED' });
    expect(second.data.cancelOrder).toMatchObject({ __typename: 'UserError', errorCode: 'INVALID_STATE_TRANSITION' });
    expect(await statusesOf(h.app, order.id)).toEqual([
      [0, LicenseStatus.REVOKED],
      [1, LicenseStatus.REVOKED],
    ]);
    expect(await licenseEvents(h.app, 'license.revoked', order.id)).toBe(2);
  });

  it('when keys are verified, then issued, revoked and unknown keys answer without the buyer; owner, token holder and admin read the keys', async () => {
    const { orderId, bookLine, customer } = await creditOrder();
    await refund({ orderId, lines: [{ orderLineId: bookLine.id, quantity: 1 }], idempotencyKey: `one-${orderId}` });
    const licenses = await licensesOf(h.app, orderId);
    const live = licenses.find((l) => l.status === LicenseStatus.ACTIVE)!;
    const revoked = licenses.find((l) => l.status === LicenseStatus.REVOKED)!;

    const verify = async (key: string) => (await h.app.gql(VERIFY, { key })).data.verifyLicense;
    expect(await verify(live.key)).toEqual({ valid: true, status: 'ACTIVE', productName: expect.any(String), variantSku: expect.any(String), revokedAt: null });
    expect(await verify(revoked.key)).toEqual({
      valid: false,
      status: 'REVOKED',
      productName: expect.any(String),
      variantSku: expect.any(String),
      revokedAt: expect.any(String),
    });
    expect(await verify('TGL-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toEqual({ valid: false, status: null, productName: null, variantSku: null, revokedAt: null });
    expect(await verify('not a key at all')).toEqual({ valid: false, status: null, productName: null, variantSku: null, revokedAt: null });
    const raw = JSON.stringify(await h.app.gql(VERIFY, { key: live.key }));
    expect(raw).not.toContain(customer.id);
    expect(raw).not.toContain(orderId);

    const own = await h.app.gql(`query($id: ID!) { order(id: $id) { licenses { ${LICENSE_FIELDS} } } }`, { id: orderId }, { token: customer.token });
    expect(own.data.order.licenses.map((l: { key: string }) => l.key).sort()).toEqual(licenses.map((l) => l.key).sort());
    const mine = await h.app.gql(`{ me { licenses { ${LICENSE_FIELDS} } } }`, {}, { token: customer.token });
    expect(mine.errors ?? mine.data.me.licenses).toHaveLength(4);
    const asAdmin = await h.app.gql(`query($id: ID!) { order(id: $id) { licenses { key } } }`, { id: orderId }, { token: await h.app.adminToken() });
    expect(asAdmin.data.order.licenses).toHaveLength(4);
    const stranger = await h.app.customer();
    expect((await h.app.gql(`query($id: ID!) { order(id: $id) { licenses { key } } }`, { id: orderId }, { token: stranger.token })).data.order).toBeNull();
  });

  it("when a line of one seller is refunded, then only that line's share of that seller's transfer is reversed", async () => {
    const [alice, bob] = [await buildSeller(em()), await buildSeller(em())];
    const lines = await sellerLines(em(), [
      { seller: alice, price: 3_000, quantity: 2 },
      { seller: bob, price: 2_000 },
    ]);
    const { order } = await buildPaidCardOrder(em(), h.stripe.stripe, { lines });
    const payments = h.app.tillgate.deps.payments!;
    const settings = { maxRetries: 3, backoffBaseMs: 60_000, backoffMaxMs: 180_000 };
    const announce = em();
    announce.create(OutboxEvent, { type: 'order.placed', aggregateId: order.id, payload: { orderId: order.id } });
    await announce.flush();
    await new SellerTransferWorker(h.app.tillgate.deps, payments, { platformFeeBps: 1_000, ...settings }).runOnce(em(), new Date());
    const aliceLine = (await em().find(OrderLine, { order: order.id, sellerId: alice.id }))[0];

    const byLine = await refund({ orderId: order.id, lines: [{ orderLineId: aliceLine.id, quantity: 1 }], idempotencyKey: `alice-${order.id}` });
    await new TransferReversalWorker(h.app.tillgate.deps, payments, settings).runOnce(em(), new Date());

    expect(byLine.status).toBe('SUCCEEDED');
    const transfers = await em().find(SellerTransfer, { orderId: order.id }, { orderBy: { amount: 'desc' } });
    expect(transfers.map((t) => [t.sellerId, t.amount, t.reversedAmount, t.status])).toEqual([
      [alice.id, 5_400, 2_700, TransferStatus.COMPLETED],
      [bob.id, 1_800, 0, TransferStatus.COMPLETED],
    ]);
  });
});

const pick = (cart: { cartId: string; versionKey: string }) => ({ cartId: cart.cartId, versionKey: cart.versionKey });
const VISA = { paymentMethod: 'CARD', stripePaymentMethodId: 'pm_card_visa' };
