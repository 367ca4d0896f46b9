import {
  CATALOG_DOCUMENTS,
  createTillgateClient,
  CreateCartDocument,
  documentHash,
  MeDocument,
  ProductsDocument,
  ShippingMethodsDocument,
} from '../../../client/src';
import { Cart } from '../../../src/entities';
import { operationHash } from '../../../src/http/persisted-queries';
import { CREATE_PRODUCT, CREATE_SELLER, SET_PRICE, variantInput } from '../catalog/catalog-operations';
import { postGraphQL } from '../../support/http-request';
import { partnerAdmin } from '../../support/partners';
import { startTestApp, type TestApp } from '../../support/test-app';

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** What a browser or CDN sends for a persisted document: the hash and variables in the URL, Apollo's CSRF header. */
async function getByHash(app: TestApp, hash: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const search = new URLSearchParams({
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
  });
  const response = await fetch(`${app.url}/graphql?${search.toString()}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const PAGE = { first: 10 };
const getPage = (app: TestApp, headers: Record<string, string> = {}) => getByHash(app, documentHash(ProductsDocument), PAGE, headers);

/** A document the server learns by its hash (automatic persisted queries), as any client may register one. */
async function registered(app: TestApp, query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const hash = operationHash(query);
  const registration = await postGraphQL(app, { query, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
  expect(registration).toEqual({ status: 200, body: { data: expect.anything() } });
  return hash;
}

const varyNames = (answer: RawAnswer) => (answer.headers.get('vary') ?? '').toLowerCase().split(/,\s*/);

function expectNotPublic(answer: RawAnswer): void {
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.headers.get('etag')).toBeNull();
}

async function seedCatalog(app: TestApp): Promise<{ variantId: string }> {
  const admin = await app.adminToken();
  const seller = await app.gql(CREATE_SELLER, { input: { name: 'Cache Seller', stripeAccountId: 'acct_cache' } }, { token: admin });
  const product = await app.gql(
    CREATE_PRODUCT,
    { input: { name: 'Cached Lamp', sellerId: seller.data.createSeller.id, variants: [variantInput({ price: 2_500 })] } },
    { token: admin },
  );
  return { variantId: product.data.createProduct.variants[0].id };
}

describe('CATALOG_MAX_AGE=1s: an anonymous catalog GET with a persisted-query hash', () => {
  let app: TestApp;
  let variantId: string;
  beforeAll(async () => {
    app = await startTestApp({ CATALOG_MAX_AGE: '1s' });
    ({ variantId } = await seedCatalog(app));
  });
  afterAll(() => app.close());

  it('when it is sent, then the answer is public for max-age with a strong ETag, and the same GET with that If-None-Match gets 304 without a body', async () => {
    const first = await getPage(app);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=1');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(varyNames(first)).toEqual(expect.arrayContaining(['origin', 'authorization', 'cookie', 'x-api-key']));
    expect(JSON.parse(first.text).data.products.nodes.map((node: { name: string }) => node.name)).toEqual(['Cached Lamp']);

    expect((await getPage(app)).headers.get('etag')).toBe(etag);

    const revalidated = await getPage(app, { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=1');

    const otherTag = await getPage(app, { 'if-none-match': '"another-representation"' });
    expect(otherTag.status).toBe(200);
    expect(otherTag.text).toBe(first.text);
  });

  it('when an admin changes a price, then the gateway answers the kept page until max-age is over, and then the new price under a new ETag', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past whatever the test above left kept
    const before = await getPage(app);
    const priceOf = (answer: RawAnswer) => JSON.parse(answer.text).data.products.nodes[0].variants[0].price.amount;
    expect(priceOf(before)).toBe(2_500);

    const changed = await app.gql(SET_PRICE, { input: { variantId, price: 2_700 } }, { token: await app.adminToken() });
    expect(changed.data.setVariantPrice.price.amount).toBe(2_700);

    // Within max-age the gateway is a cache like any in front of it: the kept answer, not a new query.
    const kept = await getPage(app, { 'if-none-match': before.headers.get('etag')! });
    expect(kept.status).toBe(304);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await getPage(app, { 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(priceOf(after)).toBe(2_700);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(after.headers.get('cache-control')).toBe('public, max-age=1');
  });

  it('when the document also asks for a viewer field (me, a cart), then the answer is no-store, while the catalog part alone registered the same way is public', async () => {
    const catalogOnly = await registered(app, 'query CatalogOnly { products(first: 1) { nodes { id name } } }');
    expect((await getByHash(app, catalogOnly, {})).headers.get('cache-control')).toBe('public, max-age=1');

    const withMe = await registered(app, 'query CatalogAndMe { products(first: 1) { nodes { id name } } me { id } }');
    const withMeAnswer = await getByHash(app, withMe, {});
    expect(JSON.parse(withMeAnswer.text)).toEqual({ data: { products: { nodes: [expect.objectContaining({ name: 'Cached Lamp' })] }, me: null } });
    expectNotPublic(withMeAnswer);

    const cart = await app.gql('mutation { createCart(input: { currency: "EUR", email: "cache@example.com" }) { id } }');
    const cartVariables = { id: cart.data.createCart.id };
    const withCart = await registered(app, 'query CatalogAndCart($id: ID!) { products(first: 1) { nodes { id } } cart(id: $id) { id email } }', cartVariables);
    const withCartAnswer = await getByHash(app, withCart, cartVariables);
    expect(JSON.parse(withCartAnswer.text).data.cart).toEqual({ id: cart.data.createCart.id, email: 'cache@example.com' });
    expectNotPublic(withCartAnswer);

    expectNotPublic(await getByHash(app, documentHash(MeDocument), {}));
  });

  it('when the catalog comes through aliases and fragments, then the answer is public; when the document also asks for introspection, it is no-store', async () => {
    const shaped = await registered(
      app,
      'query Shaped { page: products(first: 1) { nodes { ...Card } } ... on Query { methods: shippingMethods(currency: "EUR") { id } } } ' +
        'fragment Card on Product { title: name variants { price { amount } } }',
    );
    const shapedAnswer = await getByHash(app, shaped, {});
    expect(JSON.parse(shapedAnswer.text).data.page.nodes[0].title).toBe('Cached Lamp');
    expect(shapedAnswer.headers.get('cache-control')).toBe('public, max-age=1');

    const withSchema = await registered(app, 'query CatalogAndSchema { products(first: 1) { nodes { id } } __schema { queryType { name } } }');
    const withSchemaAnswer = await getByHash(app, withSchema, {});
    expect(JSON.parse(withSchemaAnswer.text).data.__schema).toEqual({ queryType: { name: 'Query' } });
    expectNotPublic(withSchemaAnswer);
  });

  it('when the GET comes signed in (a token, even an invalid one), from a partner (X-Api-Key) or with a cookie, then the answer is never public', async () => {
    const customer = await app.customer();
    const partner = await partnerAdmin(app);
    const key = await partner.issueKey(await partner.createPartner('Cache Partner'));
    const callers: Record<string, string>[] = [
      { authorization: `Bearer ${customer.token}` },
      { authorization: 'Bearer not-a-token' },
      { 'x-api-key': key.secret },
      { cookie: 'session=abc' },
    ];
    for (const headers of callers) {
      const answer = await getPage(app, headers);
      expect({ caller: Object.keys(headers)[0], status: answer.status, products: JSON.parse(answer.text).data.products.nodes.length }).toEqual({
        caller: Object.keys(headers)[0],
        status: 200,
        products: 1,
      });
      expectNotPublic(answer);
    }
  });

  it('when the catalog document is POSTed (by hash or as text), or sent as GET with its text instead of a hash, then the answer is no-store', async () => {
    const hash = documentHash(ProductsDocument);
    for (const body of [
      { variables: PAGE, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
      { query: String(ProductsDocument), variables: PAGE },
    ]) {
      const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      expectNotPublic({ status: response.status, headers: response.headers, text: await response.text() });
    }
    const search = new URLSearchParams({ query: String(ProductsDocument), variables: JSON.stringify(PAGE) });
    const withText = await fetch(`${app.url}/graphql?${search.toString()}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(withText.status).toBe(200);
    expectNotPublic({ status: withText.status, headers: withText.headers, text: await withText.text() });
  });

  it('when a mutation comes as GET, then Apollo refuses it with 405 and creates nothing; a GET without a CSRF-prevention header is refused with 400', async () => {
    const carts = () => app.orm.em.fork().count(Cart);
    const before = await carts();

    const mutation = await getByHash(app, documentHash(CreateCartDocument), { input: { currency: 'EUR', email: 'get@example.com' } });
    expect(mutation.status).toBe(405);
    expect(JSON.parse(mutation.text).errors[0].message).toBe('GET requests only support query operations, not mutation operations');
    expectNotPublic(mutation);
    expect(await carts()).toBe(before);

    const search = new URLSearchParams({
      variables: JSON.stringify(PAGE),
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: documentHash(ProductsDocument) } }),
    });
    const simple = await fetch(`${app.url}/graphql?${search.toString()}`);
    expect(simple.status).toBe(400);
    expect(await simple.text()).toContain('Cross-Site Request Forgery');
  });

  it('when the client package runs persisted, then the catalog documents go as GET and come back public, and every other document as POST', async () => {
    const sent: { method: string; cacheControl: string | null }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      sent.push({ method: init?.method ?? 'GET', cacheControl: response.headers.get('cache-control') });
      return response;
    };
    const client = createTillgateClient({ url: `${app.url}/graphql`, persisted: true, fetch: recordingFetch });

    expect((await client.request(ProductsDocument, PAGE)).products.nodes).toHaveLength(1);
    expect(await client.request(ShippingMethodsDocument, { currency: 'EUR' })).toEqual({ shippingMethods: [] });
    await client.request(CreateCartDocument, { input: { currency: 'EUR', email: 'client@example.com' } });
    expect(await client.request(MeDocument)).toEqual({ me: null });

    expect(sent).toEqual([
      { method: 'GET', cacheControl: 'public, max-age=1' },
      { method: 'GET', cacheControl: 'public, max-age=1' },
      { method: 'POST', cacheControl: 'no-store' },
      { method: 'POST', cacheControl: 'no-store' },
    ]);
    expect(CATALOG_DOCUMENTS.map((document) => String(document).match(/query (\w+)/)?.[1])).toEqual(['Products', 'Product', 'Variant', 'ShippingMethods']);
  });
});

describe('CATALOG_MAX_AGE=0s', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CATALOG_MAX_AGE: '0s' });
    await seedCatalog(app);
  });
  afterAll(() => app.close());

  it('when an anonymous client GETs the catalog by its hash, then the answer is no-store, without an ETag', async () => {
    const answer = await getPage(app);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data.products.nodes).toHaveLength(1);
    expectNotPublic(answer);
  });
});
