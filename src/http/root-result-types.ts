import { defaultFieldResolver, getNamedType, isAbstractType, type GraphQLResolveInfo, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/**
 * What the first root field of an operation answered, as a GraphQL type name:
 * for a union (every mutation's result) the member type-graphql resolves the
 * value to, so a PriceChangedError or a declined payment is told apart from a
 * success although neither comes with a top-level error. Only the root
 * fields' resolvers are wrapped: a per-field plugin hook would cost every
 * field of every answer.
 */
const results = new WeakMap<object, Map<OperationDefinitionNode, Promise<string>>>();
const WRAPPED = Symbol('tillgate.rootResultRecorded');

async function typeNameOf(value: unknown, info: GraphQLResolveInfo, context: unknown): Promise<string> {
  if (value === null || value === undefined) return 'null';
  const type = getNamedType(info.returnType);
  if (!isAbstractType(type)) return type.name;
  const resolved = await type.resolveType?.(value, context, info, type);
  return typeof resolved === 'string' ? resolved : 'unresolved';
}

function record(context: unknown, info: GraphQLResolveInfo, outcome: Promise<unknown>): void {
  if (typeof context !== 'object' || context === null) return;
  let byOperation = results.get(context);
  if (!byOperation) results.set(context, (byOperation = new Map()));
  if (byOperation.has(info.operation)) return;
  byOperation.set(
    info.operation,
    outcome
      .then(
        (value) => typeNameOf(value, info, context),
        () => 'error',
      )
      .catch(() => 'unresolved'),
  );
}

export function recordRootResultTypes(schema: GraphQLSchema): void {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const resolve = field.resolve ?? defaultFieldResolver;
      if ((resolve as { [WRAPPED]?: boolean })[WRAPPED]) continue;
      const wrapped: typeof resolve = (source, args, context, info) => {
        const value = resolve(source, args, context, info);
        record(context, info, Promise.resolve(value));
        return value;
      };
      field.resolve = Object.assign(wrapped, { [WRAPPED]: true });
    }
  }
}

/** The recorded type name; execution is over when it is asked, so the answer is settled ('none' when no root field ran). */
export async function rootResultType(context: object, operation: OperationDefinitionNode | undefined): Promise<string> {
  const recorded = operation ? results.get(context)?.get(operation) : undefined;
  return recorded ? Promise.race([recorded, Promise.resolve('unresolved')]) : 'none';
}
