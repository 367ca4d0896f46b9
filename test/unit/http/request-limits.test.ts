import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, concatAST, parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import type { CostModel } from '../../../src/http/query-cost';
import { loadConfig } from '../../../src/config';
import { FIXED_REQUEST_LIMITS, queryLimitRules, QueryTooComplexError, requestLimitsFor, type RequestLimits } from '../../../src/http/request-limits';

// A schema and a cost model of their own, so the arithmetic below does not move when the product grows.
const schema = buildSchema(`
  type Money { amount: Int! currency: String! }
  type Variant { id: ID! price: Money! product: Product! }
  type Product { id: ID! name: String! variants: [Variant!]! related: [Product!]! }
  type PageInfo { hasNextPage: Boolean! }
  type ProductConnection { nodes: [Product!]! pageInfo: PageInfo! }
  type Session { token: String! }
  type Query {
    products(first: Int = 20): ProductConnection!
    everything(first: Int): ProductConnection!
    product(id: ID!): Product
  }
  type Mutation { logIn(password: String!): Session! touch(id: ID!): Product! }
`);

const model: CostModel = {
  valueTypes: new Set(['Money', 'PageInfo', 'ProductConnection', 'Session']),
  listCaps: { 'Product.variants': 5 },
  fieldWeights: { 'Mutation.logIn': 1_000 },
  rowsInHand: new Set(),
  idsOnParent: new Set(),
  batchedReferences: new Set(),
  mutationWeight: 20,
  defaultListSize: 20,
  maxPageSize: 100,
};

const limits: RequestLimits = { ...FIXED_REQUEST_LIMITS, costModel: model, maxCost: 5_000, maxTokens: 5_000 };

function refusals(query: string, overrides: Partial<RequestLimits> = {}): Record<string, unknown>[] {
  const errors = validate(schema, parse(query), queryLimitRules({ ...limits, ...overrides }));
  return errors.map((error: GraphQLError) => {
    expect(error).toBeInstanceOf(QueryTooComplexError);
    return error.extensions;
  });
}

/** With a budget of 0 every costly query is refused, and the refusal carries the measured cost. */
const costOf = (query: string): number => {
  const refusal = refusals(query, { maxCost: 0 }).find((extensions) => extensions.limit === 'cost');
  return refusal ? (refusal.actual as number) : 0;
};

/** product { related { related { ... { id } } } } with `levels` fields in total. */
const nested = (levels: number): string => `{ product(id: "1") { ${'related { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} } }`;

describe('query limits', () => {
  it('when a query nests fields 12 levels deep, then it passes, and at 13, then it is refused as too deep', () => {
    expect(refusals(nested(12), { maxCost: Infinity })).toEqual([]);
    expect(refusals(nested(13), { maxCost: Infinity })).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 12, actual: 13 }]);
  });

  it('when the depth hides in fragments, then it is counted through them', () => {
    const query = `{ product(id: "1") { ...A } }
      fragment A on Product { related { ...B } }
      fragment B on Product { related { related { related { related { related { related { related { related { related { ... on Product { related { id } } } } } } } } } } } }`;
    expect(refusals(query, { maxCost: Infinity })).toEqual([expect.objectContaining({ limit: 'depth', actual: 13 })]);
  });

  it('when a query uses 50 aliases, then it passes, and 51, then it is refused', () => {
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: product(id: "${i}") { id }`).join(' ')} }`;
    expect(refusals(aliases(50))).toEqual([]);
    expect(refusals(aliases(51))).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 50, actual: 51 }]);
  });

  it('when fields return rows, then each row costs one, and value objects (Money) and scalars are free', () => {
    // product 1 + variants capped at 5 x (variant 1 + price 0 + product 1)
    expect(costOf(`{ product(id: "1") { id name variants { id price { amount } product { id } } } }`)).toBe(1 + 5 * 2);
  });

  it('when a list is not capped, then it counts the default list size', () => {
    // product 1 + related 20 x (product 1 + variants 5 x 1)
    expect(costOf(`{ product(id: "1") { related { variants { id } } } }`)).toBe(1 + 20 * (1 + 5));
  });

  it('when a connection gives first, then its page multiplies by first, its nodes list is not counted twice and pageInfo is free', () => {
    // 7 x (product 1 + variants 5 x variant 1)
    expect(costOf(`{ products(first: 7) { nodes { variants { price { amount } } } pageInfo { hasNextPage } } }`)).toBe(7 * (1 + 5));
  });

  it('when first is omitted, then the argument default counts, and when it is a variable or has no default, then the page cap counts', () => {
    const page = '{ nodes { id } }';
    expect(costOf(`{ products ${page} }`)).toBe(20);
    expect(costOf(`query($n: Int) { products(first: $n) ${page} }`)).toBe(model.maxPageSize);
    expect(costOf(`{ everything ${page} }`)).toBe(model.maxPageSize);
  });

  it('when a mutation runs, then it weighs its work: a password check its declared weight, any other mutation the default', () => {
    expect(costOf(`mutation { logIn(password: "x") { token } }`)).toBe(1_000);
    expect(costOf(`mutation { a: logIn(password: "x") { token } b: logIn(password: "y") { token } }`)).toBe(2_000);
    // touch 20 + the product it answers 1
    expect(costOf(`mutation { touch(id: "1") { id } }`)).toBe(21);
  });

  it('when nested lists fan out beyond the budget, then the query is refused with its cost', () => {
    const query = `{ products(first: 100) { nodes { related { related { variants { id } } } } } }`;
    // product 1 + related 20 x (product 1 + related 20 x (product 1 + variants 5)) = 2_421 per product
    expect(refusals(query)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 5_000, actual: 100 * 2_421 }]);
  });

  it('when fragments spread into each other many times, then measuring stays linear and the cost is still counted', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Product { variants { id } }` : `fragment F${i} on Product { ...F${i + 1} a${i}: related { ...F${i + 1} } }`,
    ).join('\n');
    const started = process.hrtime.bigint();
    const refusal = refusals(`{ product(id: "1") { ...F0 } } ${fragments}`).find((extensions) => extensions.limit === 'cost');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
    expect(refusal?.actual).toBeGreaterThan(20 ** 20);
  });

  it('when fragments form a cycle, then the limits do not loop (graphql-js reports the cycle)', () => {
    const query = `{ product(id: "1") { ...A } } fragment A on Product { related { ...B } } fragment B on Product { related { ...A } }`;
    const errors = validate(schema, parse(query), [...specifiedRules, ...queryLimitRules(limits)]);
    expect(errors.some((error) => /Cannot spread fragment "A" within itself/.test(error.message))).toBe(true);
  });

  it('when the playground introspects the schema, then introspection counts neither depth nor cost', () => {
    const query = `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } }`;
    expect(refusals(query, { maxCost: 1 })).toEqual([]);
  });
});

describe('to-one references that cost less than a row per parent', () => {
  // Variant.product: the variant row holds the product's id, and a per-request loader reads the products of all variants at once.
  const referenceModel: CostModel = { ...model, idsOnParent: new Set(['Variant.product']), batchedReferences: new Set(['Variant.product']) };
  const costWith = (query: string, costModel: CostModel): number => {
    const errors = validate(schema, parse(query), queryLimitRules({ ...limits, costModel, maxCost: 0 }));
    return (errors.find((error) => error.extensions.limit === 'cost')?.extensions.actual as number | undefined) ?? 0;
  };
  const page = (selection: string) => `{ products(first: 10) { nodes { variants { ${selection} } } } }`;

  it('when a reference whose key is on the parent row is asked for its id alone, then it costs nothing, through fragments too', () => {
    // 10 products x (product 1 + variants 5 x variant 1)
    expect(costWith(page('product { id __typename }'), referenceModel)).toBe(10 * (1 + 5));
    expect(costWith(`${page('product { ...Ref }')} fragment Ref on Product { ... on Product { id } }`, referenceModel)).toBe(10 * 6);
    // The same reference in a model that does not declare it: a row per variant.
    expect(costWith(page('product { id }'), model)).toBe(10 * (1 + 5 * 2));
  });

  it('when a batched reference is asked for more than its id, then it costs one row for the request, not one per parent', () => {
    // 10 x (1 + 5 x 1) for the products and variants, + 1 for the one read of every variant's product
    expect(costWith(page('product { id name }'), referenceModel)).toBe(10 * 6 + 1);
    expect(costWith(page('product { name }'), { ...referenceModel, idsOnParent: new Set() })).toBe(10 * 6 + 1);
  });

  it('when a list hangs under a batched reference, then the list still multiplies by every list around it', () => {
    // 10 x (1 + 5 x (1 + related 20 x product 1)) + the batched product 1
    expect(costWith(page('product { related { id } }'), referenceModel)).toBe(10 * (1 + 5 * (1 + 20)) + 1);
  });

  it('when the id-only check meets fragments spread into each other many times, then it stays linear', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment R${i} on Product { id }` : `fragment R${i} on Product { ...R${i + 1} ... on Product { ...R${i + 1} } }`,
    ).join('\n');
    expect(costWith(`${page('product { ...R0 }')} ${fragments}`, referenceModel)).toBe(10 * 6);
  });
});

describe('the project operations and the default limits', () => {
  const schemaFile = readFileSync(join(process.cwd(), 'src', 'schema', 'schema.graphql'), 'utf8');
  // The client package's operations and the tests' admin operations.
  const sources = ['client/operations', 'test/operations'].flatMap((dir) =>
    readdirSync(join(process.cwd(), dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.graphql'))
      .map((file) => join(process.cwd(), dir, file)),
  );

  // The largest, a catalog page at the page cap (100 products x 50 variants), costs about half the default budget.
  it('when every operation of client/operations and test/operations is held to the default budget and depth 8, then none is refused', () => {
    const productSchema = buildSchema(schemaFile);
    const document = concatAST(sources.map((file) => parse(readFileSync(file, 'utf8'))));
    const withMargin = queryLimitRules({ ...requestLimitsFor(loadConfig({})), maxDepth: 8 });
    expect(sources.length).toBeGreaterThan(10);
    expect(validate(productSchema, document, withMargin).map((error) => error.message)).toEqual([]);
  });
});
