import type { RequestHandler } from 'express';
import { GraphQLError, type ASTNode, type ParseOptions, type ValidationRule } from 'graphql';
import type { Config } from '../config';
import { TILLGATE_COST_MODEL } from './cost-model';
import { MAX_MEASURED_NESTING, QueryShapeMeter, type CostModel } from './query-cost';

/**
 * The gateway's own limits : a document with too many tokens is
 * refused while it is parsed, the parser stopping at the limit (so a 270 KB
 * document costs what its first MAX_QUERY_TOKENS tokens cost); a query that
 * is too deep, too aliased or too costly is refused during validation, before
 * any resolver runs; a batch with too many operations, or whose operations
 * together cost more than the budget, is refused before GraphQL sees it
 * (request-budget.ts). Request bodies are capped by the JSON parser
 * (MAX_BODY_BYTES in app.ts).
 */
export interface RequestLimits {
  maxDepth: number;
  maxAliases: number;
  /** MAX_QUERY_COST: the most work (rows it could load, see query-cost.ts) one HTTP request may ask for. */
  maxCost: number;
  maxBatchOperations: number;
  /** MAX_QUERY_TOKENS: the most lexical tokens, and apart from them comments, the parser reads of one document. */
  maxTokens: number;
  costModel: CostModel;
}

/** Fixed; only the cost budget and the token limit are configurable (MAX_QUERY_COST, MAX_QUERY_TOKENS). */
export const FIXED_REQUEST_LIMITS: Readonly<Omit<RequestLimits, 'maxCost' | 'maxTokens'>> = Object.freeze({
  maxDepth: 12,
  maxAliases: 50,
  maxBatchOperations: 20,
  costModel: TILLGATE_COST_MODEL,
});

export function requestLimitsFor(config: Pick<Config, 'maxQueryCost' | 'maxQueryTokens'>): RequestLimits {
  return { ...FIXED_REQUEST_LIMITS, maxCost: config.maxQueryCost, maxTokens: config.maxQueryTokens };
}

/**
 * How every document that comes with a request is parsed: by Apollo
 * (ApolloServer's parseOptions) and by the batch cost meter (request-budget.ts)
 * alike. Comments are not tokens, so they have a limit of their own; a
 * refusal is a GRAPHQL_PARSE_FAILED that formatError words as the limit.
 */
export function documentParseOptions(limits: Pick<RequestLimits, 'maxTokens'>): ParseOptions {
  return { maxLexicalTokens: limits.maxTokens, maxComments: limits.maxTokens };
}

/** requestCost: the operations of one batched HTTP request added together. */
export type QueryLimitKind = 'depth' | 'aliases' | 'cost' | 'requestCost';

/**
 * Apollo reports every validation error as GRAPHQL_VALIDATION_FAILED; formatError
 * recognises this class (the wrapped originalError) and answers QUERY_TOO_COMPLEX.
 */
export class QueryTooComplexError extends GraphQLError {
  static readonly code = 'QUERY_TOO_COMPLEX';

  constructor(limit: QueryLimitKind, maximum: number, actual: number, node: ASTNode | undefined) {
    const explanation: Record<QueryLimitKind, string> = {
      depth:
        actual > MAX_MEASURED_NESTING
          ? `The query nests more than ${MAX_MEASURED_NESTING} levels deep; at most ${maximum} levels of fields are allowed.`
          : `The query nests fields ${actual} levels deep; at most ${maximum} are allowed.`,
      aliases: `The query uses ${actual} aliases; at most ${maximum} are allowed.`,
      cost: `The query costs ${actual}, counted in rows it could load; the budget is ${maximum}. Ask for smaller pages or fewer nested lists.`,
      requestCost: `The operations of this request together cost ${actual}, counted in rows they could load; the budget is ${maximum}. Send fewer operations or aliases per request.`,
    };
    super(explanation[limit], {
      nodes: node ? [node] : undefined,
      // A request-wide refusal reports as a cost refusal: clients handle one kind of budget.
      extensions: { code: QueryTooComplexError.code, limit: limit === 'requestCost' ? 'cost' : limit, maximum, actual },
    });
    this.name = 'QueryTooComplexError';
  }
}

function depthAndCostRule(limits: RequestLimits): ValidationRule {
  return (context) => {
    const meter = new QueryShapeMeter(context.getSchema(), limits.costModel, (name) => context.getFragment(name) ?? undefined);
    return {
      OperationDefinition(operation) {
        const shape = meter.measureOperation(operation);
        if (shape.depth > limits.maxDepth) context.reportError(new QueryTooComplexError('depth', limits.maxDepth, shape.depth, operation));
        // A walk cut short (query-cost.ts MAX_MEASURED_NESTING) counted only part of the cost: the depth refusal says it all.
        if (shape.cost > limits.maxCost && shape.depth <= MAX_MEASURED_NESTING)
          context.reportError(new QueryTooComplexError('cost', limits.maxCost, shape.cost, operation));
        // The meter has walked the operation (and its fragments) already.
        return false;
      },
    };
  };
}

function aliasCountRule(maxAliases: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(field) {
        if (field.alias) aliases += 1;
      },
      Document: {
        leave(document) {
          if (aliases > maxAliases) context.reportError(new QueryTooComplexError('aliases', maxAliases, aliases, document));
        },
      },
    };
  };
}

/** Validation rules for ApolloServer({ validationRules }). */
export function queryLimitRules(limits: RequestLimits): ValidationRule[] {
  return [depthAndCostRule(limits), aliasCountRule(limits.maxAliases)];
}

/** Mount after the JSON parser and before Apollo: a batch is a JSON array of operations. */
export function batchSizeLimit(maxOperations: number): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (Array.isArray(body) && body.length > maxOperations) {
      res.status(400).json({
        errors: [
          {
            message: `A batched request may hold at most ${maxOperations} operations; this one holds ${body.length}.`,
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
      return;
    }
    next();
  };
}
