import 'reflect-metadata';
import { specifiedDirectives, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { resolvers } from '../resolvers';
import { authChecker } from './auth-checker';
import { cacheControlDirective } from './cache-hints';
import { scalarsMap } from './scalars';

/**
 * No global middlewares, on purpose: type-graphql would run them around every
 * field of every object, and a catalog page resolves over a thousand fields.
 * `validate` runs class-validator on input-object arguments only (type-graphql
 * skips scalars), so outputs cost nothing there.
 */
export function buildTillgateSchema(options: { emitTo?: string } = {}): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false, stopAtFirstError: true },
    scalarsMap,
    directives: [...specifiedDirectives, cacheControlDirective],
    emitSchemaFile: options.emitTo ? { path: options.emitTo, sortedSchema: false } : false,
  });
}
