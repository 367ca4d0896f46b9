import { buildSchema, getNamedType, isCompositeType, isObjectType, parse, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { CATALOG_DOCUMENTS } from '../../../client/src';
import { buildTillgateSchema } from '../../../src/schema/build-schema';
import { PUBLIC_CATALOG_ROOTS } from '../../../src/schema/cache-hints';
import { isPublicDocument, publicDocuments } from '../../../src/schema/public-document';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildTillgateSchema();
});

const isPublic = (source: string) => isPublicDocument(schema, parse(source));

/** A selection of every field reachable from `type`, objects followed `depth` levels deep (Variant.product leads back to Product). */
function everyField(type: GraphQLObjectType, depth: number): string {
  const fields = Object.values(type.getFields()).flatMap((field) => {
    const named = getNamedType(field.type);
    if (!isCompositeType(named)) return [field.name];
    if (!isObjectType(named)) throw new Error(`${type.name}.${field.name} returns ${named.name}: the walk below follows object types only`);
    return depth > 0 ? [`${field.name} { ${everyField(named, depth - 1)} }`] : [];
  });
  return fields.join(' ');
}

/** Arguments that satisfy each catalog root. */
const ROOT_ARGUMENTS: Record<string, string> = { products: '(first: 2)', product: '(id: "1")', variant: '(id: "1")', shippingMethods: '(currency: "EUR")' };

describe('isPublicDocument, against the schema the gateway serves', () => {
  it('when a document is one of the client package catalog documents, then it is public', () => {
    expect(CATALOG_DOCUMENTS.map((document) => isPublic(String(document)))).toEqual([true, true, true, true]);
  });

  it('when a document selects every field reachable from every catalog root, then it is public: no type under the catalog is per-caller', () => {
    const query = schema.getQueryType()!;
    const roots = [...PUBLIC_CATALOG_ROOTS].map((name) => {
      const type = getNamedType(query.getFields()[name].type) as GraphQLObjectType;
      return `${name}${ROOT_ARGUMENTS[name]} { ${everyField(type, 4)} }`;
    });
    expect(roots).toHaveLength(4);
    expect(isPublic(`query Everything { ${roots.join(' ')} }`)).toBe(true);
  });

  it('when a catalog root comes with a root that is not the catalog (me, a cart, an order), then the document is not public', () => {
    expect(isPublic('query { products(first: 1) { nodes { id } } me { id } }')).toBe(false);
    expect(isPublic('query ($id: ID!) { product(id: $id) { name } cart(id: $id) { id } }')).toBe(false);
    expect(isPublic('query { shippingMethods(currency: "EUR") { id } orderByToken(token: "t") { id } }')).toBe(false);
    expect(isPublic('query { me { id } }')).toBe(false);
  });

  it('when catalog fields come through aliases, named fragments and inline fragments, then the document is public', () => {
    expect(
      isPublic(`
        query Aliased {
          first: products(first: 1) { nodes { ...Card } pageInfo { hasNextPage } }
          one: product(id: "1") { ...Card }
          ... on Query { methods: shippingMethods(currency: "EUR") { ... on ShippingMethod { price { amount } } } }
          ...Variant
        }
        fragment Card on Product { id title: name seller { ...Seller } variants { price { ...Price } available } }
        fragment Seller on Seller { name }
        fragment Price on Money { amount currency }
        fragment Variant on Query { variant(id: "2") { sku product { ...Card } } }
      `),
    ).toBe(true);
  });

  it('when a private root hides behind an alias, a fragment, an inline fragment or @skip, then the document is not public', () => {
    expect(isPublic('query { products: me { id } }')).toBe(false);
    expect(isPublic('query { products(first: 1) { nodes { id } } ...Me } fragment Me on Query { me { id } }')).toBe(false);
    expect(isPublic('query { products(first: 1) { nodes { id } } ... on Query { me { id } } }')).toBe(false);
    expect(isPublic('query ($skip: Boolean = true) { products(first: 1) { nodes { id } } me @skip(if: $skip) { id } }')).toBe(false);
  });

  it('when a document asks for introspection, alone or beside the catalog, or only for __typename, then it is not public', () => {
    expect(isPublic('query { __schema { types { name } } }')).toBe(false);
    expect(isPublic('query { products(first: 1) { nodes { id } } __type(name: "Product") { name } }')).toBe(false);
    expect(isPublic('query { products(first: 1) { nodes { id } } __schema { queryType { name } } }')).toBe(false);
    expect(isPublic('query { __typename }')).toBe(false);
    expect(isPublic('query { __typename products(first: 1) { __typename nodes { __typename id } } }')).toBe(true);
  });

  it('when a document is a mutation, holds two operations, or names a field or fragment the schema lacks, then it is not public', () => {
    expect(isPublic('mutation { createCart(input: { currency: "EUR" }) { id } }')).toBe(false);
    expect(isPublic('query A { products(first: 1) { nodes { id } } } query B { product(id: "1") { id } }')).toBe(false);
    expect(isPublic('query { products(first: 1) { nodes { id secret } } }')).toBe(false);
    expect(isPublic('query { products(first: 1) { nodes { ...Missing } } }')).toBe(false);
    expect(isPublic('query { products(first: 1) { nodes { ... on Cart { id } } } }')).toBe(false);
    expect(isPublic('query { products(first: 1) { nodes { ...Loop } } } fragment Loop on Product { id variants { product { ...Loop } } }')).toBe(false);
  });
});

describe('isPublicDocument, against a schema with per-caller fields under the catalog', () => {
  const perCaller = buildSchema(`
    directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
    enum CacheControlScope { PUBLIC PRIVATE }
    type Query { products: [Product!]! me: Customer }
    type Product @cacheControl(inheritMaxAge: true) {
      id: ID!
      name: String!
      boughtByViewer: Boolean @cacheControl(scope: PRIVATE)
      viewerReview: Review
      related: [Related!]!
      ownAge: Seller @cacheControl(maxAge: 60)
    }
    type Review { stars: Int! }
    type Seller @cacheControl(inheritMaxAge: true) { name: String! }
    union Related @cacheControl(inheritMaxAge: true) = Product | Review
    type Customer { id: ID! }
  `);
  const isPublicHere = (source: string) => isPublicDocument(perCaller, parse(source));

  it('when only inheriting types and unhinted leaves are selected, then the document is public', () => {
    expect(isPublicHere('{ products { id name related { ... on Product { name } } } }')).toBe(true);
  });

  it('when a field hinted PRIVATE, an object type without the inheriting hint, or a field with an age of its own is selected, then it is not public', () => {
    expect(isPublicHere('{ products { id boughtByViewer } }')).toBe(false);
    expect(isPublicHere('{ products { id viewerReview { stars } } }')).toBe(false);
    expect(isPublicHere('{ products { related { ... on Review { stars } } } }')).toBe(false);
    expect(isPublicHere('{ products { ownAge { name } } }')).toBe(false);
  });

  it('when the catalog roots the gateway names are missing from a schema, then deciding for it fails at once rather than calling nothing public', () => {
    expect(() => publicDocuments(perCaller)).toThrow("PUBLIC_CATALOG_ROOTS names fields the schema's Query lacks: product, variant, shippingMethods");
  });
});

describe('publicDocuments, the decision kept per parsed document', () => {
  it('when the same document is asked about again, then it gets the same answer, and a different parse of other text its own', () => {
    const decide = publicDocuments(schema);
    const catalog = parse('query { products(first: 1) { nodes { id } } }');
    const withMe = parse('query { products(first: 1) { nodes { id } } me { id } }');
    expect([decide(catalog), decide(withMe), decide(catalog), decide(withMe)]).toEqual([true, false, true, false]);
  });
});
