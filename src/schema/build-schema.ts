import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { resolvers } from '../resolvers';
import { authChecker } from './auth-checker';
import { scalarsMap } from './scalars';

export function buildTillgateSchema(options: { emitTo?: string } = {}): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false, stopAtFirstError: true },
    scalarsMap,
    emitSchemaFile: options.emitTo ? { path: options.emitTo, sortedSchema: false } : false,
  });
}
