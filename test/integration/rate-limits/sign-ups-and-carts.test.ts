import type { TestApp } from '../../support/test-app';
import { buildProduct } from '../../factories/catalog.factory';
import { ADD_CART_LINE, CREATE_CART, freshAddress, gqlAs, postAs, refusalOf, SIGN_UP, startLimitedApp, uniqueEmail, wallClock } from './rate-limit-harness';

describe('signUp rate limit: 20 per IP', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The request cost budget would refuse 20 batched sign-ups whole; raised, each is one attempt for the rate limit.
    // A window of seconds, so that the clock can be moved past it (wallClock); the default is 20/1h.
    app = await startLimitedApp({ MAX_QUERY_COST: '1000000000', RATE_LIMIT_SIGNUP_IP: '20/20s' });
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  const signUp = (email: string) => ({ query: SIGN_UP, variables: { input: { email, password: 'correct-horse-battery' } } });

  it('when one address has signed up 20 times, then the 21st is refused with 429 until the window has passed; other addresses are not', async () => {
    wallClock.freeze();
    const from = freshAddress();
    // One batched request of 20: each operation is one sign-up, counted one by one.
    const batch = await postAs<{ data: { signUp: { __typename: string } } }[]>(
      app,
      from,
      Array.from({ length: 20 }, () => signUp(uniqueEmail('new'))),
    );
    expect(batch.status).toBe(200);
    expect(batch.body.map((answer) => answer.data.signUp.__typename)).toEqual(Array(20).fill('AuthPayload'));

    const refused = await postAs(app, from, signUp(uniqueEmail('one-more')));
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)!.retryAfter).toBeLessThanOrEqual(20);
    expect((await postAs(app, freshAddress(), signUp(uniqueEmail('elsewhere')))).body.data.signUp.__typename).toBe('AuthPayload');

    wallClock.advance(21_000);
    expect((await postAs(app, from, signUp(uniqueEmail('next-window')))).body.data.signUp.__typename).toBe('AuthPayload');
  });

  it('when a taken email is signed up again, then EMAIL_TAKEN is still the answer, and the attempt counts', async () => {
    const from = freshAddress();
    const email = uniqueEmail('taken');
    expect((await postAs(app, from, signUp(email))).body.data.signUp.__typename).toBe('AuthPayload');
    // One request each: batched sign-ups share one EntityManager, and concurrent failing flushes on it hang (see the report).
    for (let probe = 0; probe < 19; probe += 1) expect((await postAs(app, from, signUp(email))).body.data.signUp.errorCode).toBe('EMAIL_TAKEN');
    expect((await postAs(app, from, signUp(email))).status).toBe(429);
  });
});

describe('createCart and addCartLine rate limit: carts per IP', () => {
  let app: TestApp;
  let variantId: string;
  beforeAll(async () => {
    app = await startLimitedApp({ RATE_LIMIT_CARTS_IP: '3/20s' });
    const { variants } = await buildProduct(app.orm.em.fork(), { variants: [{ price: 1_000, currency: 'EUR', stock: 100 }] });
    variantId = variants[0].id;
  });
  afterAll(() => app.close());
  afterEach(() => wallClock.restore());

  const createCart = (from: string) => gqlAs<{ createCart: { id: string } }>(app, from, CREATE_CART, { input: { currency: 'EUR' } });
  const addLine = (from: string, cartId: string) => gqlAs(app, from, ADD_CART_LINE, { input: { cartId, variantId, quantity: 1 } });
  const newCart = async (from: string) => (await createCart(from)).body.data!.createCart.id;

  it('when one address has created 3 carts, then the 4th is refused with 429 until the window has passed, while its own carts still take lines', async () => {
    wallClock.freeze();
    const from = freshAddress();
    const carts = [await newCart(from), await newCart(from), await newCart(from)];

    const refused = await createCart(from);
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)).not.toBeNull();
    // Lines for carts it already has are not new carts.
    for (const cartId of [...carts, ...carts]) expect((await addLine(from, cartId)).body.data?.addCartLine.__typename).toBe('Cart');
    expect((await createCart(freshAddress())).status).toBe(200);

    wallClock.advance(21_000);
    expect((await createCart(from)).body.data?.createCart.id).toEqual(expect.any(String));
  });

  it('when one address adds lines to carts made elsewhere, then each new cart counts, and the one past the limit is refused', async () => {
    const from = freshAddress();
    const elsewhere = freshAddress();
    const own = await newCart(from);
    const foreign = [await newCart(elsewhere), await newCart(elsewhere), await newCart(elsewhere)];

    expect((await addLine(from, own)).body.data?.addCartLine.__typename).toBe('Cart');
    expect((await addLine(from, foreign[0])).body.data?.addCartLine.__typename).toBe('Cart');
    expect((await addLine(from, foreign[1])).body.data?.addCartLine.__typename).toBe('Cart');
    const refused = await addLine(from, foreign[2]);
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)).not.toBeNull();
    // Refused, so not counted as its cart: it stays refused rather than slipping through on the next try.
    expect((await addLine(from, foreign[2])).status).toBe(429);
    expect((await addLine(from, foreign[0])).body.data?.addCartLine.__typename).toBe('Cart');
  });

  it('when one request creates 50 aliased carts, then it is refused as a whole (429) after the limit, not counted as one', async () => {
    const from = freshAddress();
    const aliases = Array.from({ length: 50 }, (_, i) => `c${i}: createCart(input: { currency: "EUR" }) { id }`).join(' ');
    const answer = await postAs(app, from, { query: `mutation { ${aliases} }` });
    expect(answer.status).toBe(429);
    expect(answer.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['RATE_LIMITED']);
    expect((await createCart(from)).status).toBe(429);
  });
});
