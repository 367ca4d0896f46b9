import { VoucherKind } from '../../../src/entities';
import type { TestApp } from '../../support/test-app';
import { buildVoucher } from '../../factories/catalog.factory';
import { CREATE_CART, freshAddress, gqlAs, postAs, refusalOf, SIGN_UP, startLimitedApp, uniqueEmail, wallClock } from './rate-limit-harness';

const APPLY = `mutation($input: CartVoucherInput!) { applyVoucher(input: $input) { __typename ... on UserError { errorCode } } }`;
const REDEEM = `mutation($input: RedeemVoucherInput!) { redeemVoucher(input: $input) { __typename ... on UserError { errorCode } } }`;

/** Voucher guessing: failed applyVoucher and redeemVoucher attempts, per IP and per customer (3 per 20 s here; 30/1h by default). */
describe('voucher rate limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp({ RATE_LIMIT_VOUCHER_FAILURES: '3/20s' });
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  const em = () => app.orm.em.fork();
  const guessCode = () => `NOPE-${Math.random().toString(36).slice(2, 10)}`.toUpperCase();
  const cartAt = async (from: string) => (await gqlAs(app, from, CREATE_CART, { input: { currency: 'EUR' } })).body.data!.createCart.id as string;
  const apply = (from: string, cartId: string, code: string) => gqlAs(app, from, APPLY, { input: { cartId, code } });

  async function customerToken(): Promise<string> {
    const answer = await gqlAs(app, freshAddress(), SIGN_UP, { input: { email: uniqueEmail('redeemer'), password: 'correct-horse-battery' } });
    return answer.body.data!.signUp.token;
  }

  it('when an address has had 3 failed applyVoucher attempts, then the next one is refused (429), even with a good code, until the window has passed; a success in between does not count', async () => {
    wallClock.freeze();
    const from = freshAddress();
    const cartId = await cartAt(from);
    const good = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 1_000 });

    expect((await apply(from, cartId, guessCode())).body.data?.applyVoucher).toEqual({ __typename: 'UserError', errorCode: 'VOUCHER_NOT_FOUND' });
    expect((await apply(from, cartId, guessCode())).body.data?.applyVoucher.errorCode).toBe('VOUCHER_NOT_FOUND');
    expect((await apply(from, cartId, good.code)).body.data?.applyVoucher.__typename).toBe('Cart');
    expect((await apply(from, cartId, guessCode())).body.data?.applyVoucher.errorCode).toBe('VOUCHER_NOT_FOUND');

    const refused = await apply(from, cartId, good.code);
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)!.retryAfter).toBeLessThanOrEqual(20);
    // The same cart from another address is that address's own budget.
    expect((await apply(freshAddress(), cartId, guessCode())).body.data?.applyVoucher.errorCode).toBe('VOUCHER_NOT_FOUND');

    wallClock.advance(21_000);
    expect((await apply(from, cartId, guessCode())).body.data?.applyVoucher.errorCode).toBe('VOUCHER_NOT_FOUND');
  });

  it('when one request enumerates 50 aliased codes, then only 3 are tried and the request is refused (429)', async () => {
    const from = freshAddress();
    const cartId = await cartAt(from);
    const aliases = Array.from({ length: 50 }, (_, i) => `v${i}: applyVoucher(input: { cartId: $cartId, code: "${guessCode()}" }) { __typename }`);
    const answer = await postAs(app, from, { query: `mutation Enumerate($cartId: ID!) { ${aliases.join(' ')} }`, variables: { cartId } });
    expect(answer.status).toBe(429);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: ['v3'], extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } })]);
  });

  it('when a customer has had 3 failed redeemVoucher attempts from different addresses, then a fourth address is refused too', async () => {
    const token = await customerToken();
    const credit = await buildVoucher(em(), { kind: VoucherKind.CREDIT, value: 500 });
    const redeem = (code: string) => gqlAs(app, freshAddress(), REDEEM, { input: { code } }, { token });

    expect((await redeem(credit.code)).body.data?.redeemVoucher.__typename).toBe('VoucherRedemption');
    for (let i = 0; i < 3; i += 1) expect((await redeem(guessCode())).body.data?.redeemVoucher.__typename).toBe('UserError');
    const refused = await redeem(guessCode());
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)).not.toBeNull();
  });

  it('when a customer guesses codes through applyVoucher and redeemVoucher, then both spend one budget', async () => {
    const token = await customerToken();
    const from = freshAddress();
    const cartId = (await gqlAs(app, from, CREATE_CART, { input: { currency: 'EUR' } }, { token })).body.data!.createCart.id;
    expect((await gqlAs(app, from, APPLY, { input: { cartId, code: guessCode() } }, { token })).body.data?.applyVoucher.errorCode).toBe('VOUCHER_NOT_FOUND');
    expect((await gqlAs(app, freshAddress(), REDEEM, { input: { code: guessCode() } }, { token })).body.data?.redeemVoucher.__typename).toBe('UserError');
    expect((await gqlAs(app, freshAddress(), APPLY, { input: { cartId, code: guessCode() } }, { token })).body.data?.applyVoucher.errorCode).toBe(
      'VOUCHER_NOT_FOUND',
    );
    expect((await gqlAs(app, freshAddress(), REDEEM, { input: { code: guessCode() } }, { token })).status).toBe(429);
  });
});
