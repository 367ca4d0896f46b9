import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type ParseOptions } from 'graphql';
import { QueryShapeMeter } from './query-cost';
import { batchSizeLimit, documentParseOptions, QueryTooComplexError, type RequestLimits } from './request-limits';

/**
 * The cost budget is per HTTP request, not per operation : Apollo
 * runs the operations of a batch concurrently, each validated on its own, so
 * twenty operations that each fit the budget would otherwise all start — 20 x
 * 50 aliased logIns are a thousand password checks. Before Apollo sees a
 * batch, every operation in it is measured and the costs added up; over the
 * budget, nothing runs. A single operation is left to the validation rule
 * (request-limits.ts), which measures the same way.
 */

/** How many APQ documents' costs are remembered (a few hundred bytes each). */
const REMEMBERED_DOCUMENTS = 10_000;

interface OperationBody {
  query?: unknown;
  operationName?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } };
}

/** Oldest entries go first once full: the cache must not grow with what clients send. */
class RememberedCosts {
  private readonly costs = new Map<string, number>();

  get(key: string): number | undefined {
    return this.costs.get(key);
  }

  set(key: string, cost: number): void {
    this.costs.delete(key);
    this.costs.set(key, cost);
    if (this.costs.size > REMEMBERED_DOCUMENTS) this.costs.delete(this.costs.keys().next().value!);
  }
}

function parseOrNull(query: string, options: ParseOptions): DocumentNode | null {
  try {
    return parse(query, { ...options, noLocation: true });
  } catch {
    // Apollo answers the syntax error (or the token limit) itself.
    return null;
  }
}

export class RequestCostMeter {
  /**
   * APQ lets a client send a document's hash alone once the document was sent
   * with it. Its cost is remembered under the hash the server computes itself
   * (never the one the client claims), so a batch of hashes is measured too.
   */
  private readonly remembered = new RememberedCosts();
  private readonly parseOptions: ParseOptions;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: RequestLimits,
  ) {
    // The same limits as Apollo's: a batch of oversized documents is read no further than one is.
    this.parseOptions = documentParseOptions(limits);
  }

  /** The cost of one operation of a request body; 0 for what Apollo will refuse anyway. */
  costOf(body: unknown): number {
    if (typeof body !== 'object' || body === null) return 0;
    const { query, operationName, extensions } = body as OperationBody;
    const name = typeof operationName === 'string' ? operationName : '';
    if (typeof query !== 'string') {
      const hash = extensions?.persistedQuery?.sha256Hash;
      // A hash the server has never seen with its text: Apollo answers PERSISTED_QUERY_NOT_FOUND,
      // or it is a safelisted partner operation, whose cost the validation rule checks on its own.
      return typeof hash === 'string' ? (this.remembered.get(`${hash}:${name}`) ?? 0) : 0;
    }
    const key = `${createHash('sha256').update(query).digest('hex')}:${name}`;
    const known = this.remembered.get(key);
    if (known !== undefined) return known;
    const cost = this.measure(query, name);
    this.remembered.set(key, cost);
    return cost;
  }

  private measure(query: string, operationName: string): number {
    const document = parseOrNull(query, this.parseOptions);
    if (!document) return 0;
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName
      ? operations.find((candidate) => candidate.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    if (!operation) return 0;
    const fragments = new Map(
      document.definitions
        .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment]),
    );
    return new QueryShapeMeter(this.schema, this.limits.costModel, (name) => fragments.get(name)).measureOperation(operation).cost;
  }
}

/** Refuses a batch whose operations together cost more than the budget. Mount after the JSON parser. */
export function batchCostBudget(meter: RequestCostMeter, maxCost: number): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (!Array.isArray(body) || body.length < 2) {
      next();
      return;
    }
    const total = body.reduce((sum: number, operation: unknown) => sum + meter.costOf(operation), 0);
    if (total <= maxCost) {
      next();
      return;
    }
    const refusal = new QueryTooComplexError('requestCost', maxCost, total, undefined);
    res.status(400).json({ errors: [{ message: refusal.message, extensions: refusal.extensions }] });
  };
}

/** The limits that look at a whole HTTP request, in the order they apply: operation count, then cost. */
export function requestLimitMiddleware(schema: GraphQLSchema, limits: RequestLimits): RequestHandler[] {
  return [batchSizeLimit(limits.maxBatchOperations), batchCostBudget(new RequestCostMeter(schema, limits), limits.maxCost)];
}
