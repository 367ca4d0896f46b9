// Apollo's own cache-hint helpers (a dependency of @apollo/server).
import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt, type GraphQLResolveInfo } from 'graphql';

/**
 * Cache hints for Apollo's cache-control plugin (src/http/public-cache.ts).
 * Nothing is cacheable unless hinted: every root field, and every field that
 * returns an object, counts as max-age 0 (the plugin's default), so a document
 * that touches anything outside the catalog (me, a cart, an order, a license)
 * is answered `no-store`, including a per-customer field added later.
 *
 * The catalog's root fields say how long (CATALOG_MAX_AGE, a setting, hence a
 * hint the resolver sets rather than a number in the schema). The catalog's
 * object types, and the value types they share with carts and orders (Money,
 * PageInfo), inherit the age of the field that holds them: under a catalog
 * field they are as cacheable as it is, under a cart or an order not at all.
 */
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

/**
 * A catalog root field's answer may be kept publicly for `maxAgeSeconds`. A
 * no-op for a request that can never be answered publicly: the plugin, and so
 * `info.cacheControl`, is engaged only for those that can.
 */
export function hintPublicCatalog(info: GraphQLResolveInfo, maxAgeSeconds: number): void {
  maybeCacheControlFromInfo(info)?.setCacheHint({ maxAge: maxAgeSeconds, scope: 'PUBLIC' });
}
