import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt } from 'graphql';

/**
 * Which parts of the schema may be answered publicly (src/schema/public-document.ts
 * decides per document, src/http/public-cache.ts writes the header). Nothing
 * is public unless declared here or hinted:
 *
 * - the catalog's root fields below answer the same for every anonymous caller;
 *   every other root field (me, a cart, an order, a license, one added later)
 *   makes a document private;
 * - below them, every object a document selects must inherit its cache hint
 *   from the field that holds it (`INHERITS_CACHE_HINT` on the type): under a
 *   catalog field such a type is as public as that field, under a cart or an
 *   order not at all. An object type without it, or a field or type hinted any
 *   other way (a scope of PRIVATE, a max-age of its own), makes a document
 *   private: a per-customer field added under the catalog is private by default.
 *
 * The hints use Apollo's `@cacheControl` vocabulary, but they are read once per
 * document, from the schema, and not by Apollo's per-field plugin.
 */
export const PUBLIC_CATALOG_ROOTS: ReadonlySet<string> = new Set(['products', 'product', 'variant', 'shippingMethods']);

export const INHERITS_CACHE_HINT = '@cacheControl(inheritMaxAge: true)';

const CacheControlScope = new GraphQLEnumType({ name: 'CacheControlScope', values: { PUBLIC: {}, PRIVATE: {} } });

/** Apollo's `@cacheControl`, declared in the schema as Apollo's documentation asks of a schema that uses it. */
export const cacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt },
    scope: { type: CacheControlScope },
    inheritMaxAge: { type: GraphQLBoolean },
  },
});
