import { getIntrospectionQuery } from 'graphql';
import { Cart } from '../../../src/entities';
import { postGraphQL } from '../../support/http-request';
import { startTestApp, type TestApp } from '../../support/test-app';

/** createCart { lines { variant { product { variants { product { ... id } } } } } } with `levels` nested fields. */
function nestedCreateCart(levels: number): string {
  const inner = Array.from({ length: levels - 4 }, (_, i) => (i % 2 === 0 ? 'product {' : 'variants {'));
  return `mutation { createCart(input: { currency: "EUR" }) { lines { variant { ${inner.join(' ')} id ${'}'.repeat(inner.length)} } } } }`;
}

// createCart 20 (a mutation) + its cart 1 + lines 100 x (line 1 + variant 0 + variants 50 x (variant 1 + product 0 + ...)) for 12 levels,
// + 1 for the one read of every line's product: a cart line's variant comes with the line, and a product's variants answer
// their product from the product itself (cost-model.ts rowsInHand); the lines' products are read in one batch
const COST_OF_12_LEVELS = 637_755_122;

describe('the gateway refuses oversized requests before running them', () => {
  let app: TestApp;
  beforeAll(async () => {
    // A budget high enough that only the limit under test can refuse (the highest MAX_QUERY_COST takes).
    app = await startTestApp({ MAX_QUERY_COST: '1000000000' });
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  it('when a mutation nests 13 levels, then it answers QUERY_TOO_COMPLEX and nothing is written; at 12 levels it runs', async () => {
    const tooDeep = await postGraphQL(app, { query: nestedCreateCart(13) });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors).toContainEqual({
      message: 'The query nests fields 13 levels deep; at most 12 are allowed.',
      locations: [{ line: 1, column: 1 }],
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 12, actual: 13 },
    });
    expect(tooDeep.body.data).toBeUndefined();
    expect(await app.orm.em.fork().count(Cart, {})).toBe(0);

    const deepEnough = await postGraphQL(app, { query: nestedCreateCart(12) });
    expect(deepEnough.body.errors).toBeUndefined();
    expect(deepEnough.body.data.createCart.lines).toEqual([]);
    expect(await app.orm.em.fork().count(Cart, {})).toBe(1);
  });

  it('when a query uses 51 aliases, then it is refused, and 50 run', async () => {
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const refused = await postGraphQL(app, { query: aliases(51) });
    expect(refused.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 50, actual: 51 });
    const allowed = await postGraphQL(app, { query: aliases(50) });
    expect(allowed.body.errors).toBeUndefined();
    expect(Object.keys(allowed.body.data)).toHaveLength(50);
  });

  it('when a batch holds 21 operations, then it answers 400 with a JSON error, and 20 operations all run', async () => {
    const operation = { query: '{ me { id } }' };
    const refused = await postGraphQL(
      app,
      Array.from({ length: 21 }, () => operation),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ message: expect.stringContaining('at most 20 operations'), extensions: { code: 'BAD_REQUEST' } }]);

    const allowed = await postGraphQL(
      app,
      Array.from({ length: 20 }, () => operation),
    );
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual(Array.from({ length: 20 }, () => ({ data: { me: null } })));
  });

  it('when the body is over 1 MB, then it answers 413 cleanly and the server keeps serving', async () => {
    const huge = JSON.stringify({ query: '{ me { id } }', variables: { padding: 'x'.repeat(1024 * 1024) } });
    const refused = await postGraphQL(app, huge);
    expect(refused.status).toBe(413);
    expect(refused.body.errors).toEqual([{ message: 'Request body is larger than 1 MB.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }]);

    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await postGraphQL(app, { query: '{ me { id } }' })).body).toEqual({ data: { me: null } });
  });
});

describe('the default cost budget', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('when a query fans out through nested lists beyond 10,000 rows, then it is refused with its cost', async () => {
    const query = `{ products(first: 100) { nodes { variants { product { variants { product { id } } } } } } }`;
    const refused = await postGraphQL(app, { query });
    // product 1 + variants 50 x (variant 1 + product 0, in hand + variants 50 x (variant 1 + product 0)) = 2_551 per product
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 10_000, actual: 100 * 2_551 } }),
    ]);
  });

  it('when MAX_QUERY_COST is not raised, then the 12-level mutation another app ran is refused for its cost alone', async () => {
    const refused = await postGraphQL(app, { query: nestedCreateCart(12) });
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 10_000, actual: COST_OF_12_LEVELS } }),
    ]);
  });

  it('when the playground sends the full introspection query, then no limit stands in its way', async () => {
    const response = await postGraphQL(app, { query: getIntrospectionQuery() });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.__schema.types.map((type: { name: string }) => type.name)).toEqual(expect.arrayContaining(['Query', 'Mutation', 'Cart']));
  });

  it('when a product page of 100 with variants and prices is asked for, then it fits the budget', async () => {
    const page = await postGraphQL(app, {
      query: `{ products(first: 100) { nodes { id name seller { name } variants { sku price { amount currency } available } } pageInfo { hasNextPage } } }`,
    });
    expect(page.body).toEqual({ data: { products: { nodes: [], pageInfo: { hasNextPage: false } } } });
  });
});
