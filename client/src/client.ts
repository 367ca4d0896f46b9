import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { CATALOG_DOCUMENTS } from './catalog-documents';

export interface TillgateClientOptions {
  /** The GraphQL endpoint, e.g. `https://shop.example.com/graphql`. */
  url: string;
  /** A customer's or admin's bearer token (from logIn or signUp), sent as `Authorization: Bearer`. */
  token?: string;
  /** A partner's key, sent as `X-Api-Key`. */
  apiKey?: string;
  /**
   * Send only the document's sha256 (an Apollo persisted query), never its text. The
   * server knows every document of this package by that hash: it is the partner safelist.
   * The catalog's documents (CATALOG_DOCUMENTS) then go as GET, which caches may keep.
   */
  persisted?: boolean;
  /** Another fetch (a server-side one, or a test's); the global fetch by default. */
  fetch?: typeof fetch;
}

export interface TillgateErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface TillgateResponse<TResult> {
  /** The HTTP status: 200, or e.g. 400 (a refused document), 401 (a bad partner key), 429 (rate limited). */
  status: number;
  data?: TResult | null;
  errors?: TillgateErrorEntry[];
}

/** The answer had top-level errors (or no data): they are here, with the HTTP status. */
export class TillgateRequestError extends Error {
  override name = 'TillgateRequestError';

  constructor(
    readonly status: number,
    readonly errors: TillgateErrorEntry[],
  ) {
    super(`GraphQL request failed (HTTP ${status}): ${errors.map((error) => `${error.extensions?.code ?? 'ERROR'} ${error.message}`).join('; ')}`);
  }
}

/** Just what the client reads of a document: its text and its hash. */
interface DocumentText {
  toString(): string;
  __meta__?: Record<string, unknown>;
}

/** A document generated from client/operations (its hash is in the manifest). */
export type TillgateDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & {
  toString(): string;
  __meta__?: Record<string, unknown>;
};

/** Variables may be left out exactly when the operation has no required ones. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is the point: it extends exactly the variable types with no required field
export type VariablesOf<TVariables> = {} extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface TillgateClient {
  /** The data of the answer; throws TillgateRequestError when there are top-level errors. */
  request<TResult, TVariables>(document: TillgateDocument<TResult, TVariables>, ...variables: VariablesOf<TVariables>): Promise<TResult>;
  /** The whole answer with its status, for callers that look at errors themselves. */
  execute<TResult, TVariables>(document: TillgateDocument<TResult, TVariables>, ...variables: VariablesOf<TVariables>): Promise<TillgateResponse<TResult>>;
  /** The same client, signed in as someone else (after logIn). */
  withToken(token: string | undefined): TillgateClient;
}

/** The hex digest of a document's `sha256:<hex>` hash, which Apollo's persisted queries send. */
export function documentHash(document: DocumentText): string {
  const hash = document.__meta__?.hash;
  if (typeof hash !== 'string' || !hash.startsWith('sha256:')) throw new Error('This document has no sha256 hash: is it one of the generated documents?');
  return hash.slice('sha256:'.length);
}

const persistedQuery = (document: DocumentText) => ({ persistedQuery: { version: 1, sha256Hash: documentHash(document) } });

function requestBody(document: DocumentText, variables: unknown, persisted: boolean): Record<string, unknown> {
  if (!persisted) return { query: document.toString(), variables };
  return { variables, extensions: persistedQuery(document) };
}

const catalogHashes = new Set<string>(CATALOG_DOCUMENTS.map(documentHash));

/** Whether a persisted client sends this document as GET: the catalog's, by their hash (a copy of one is the same document). */
const isCatalogDocument = (document: DocumentText): boolean => typeof document.__meta__?.hash === 'string' && catalogHashes.has(documentHash(document));

/**
 * The GET URL of a persisted document: the hash and variables in the query
 * string, always in the same order and form, so that one page of the catalog
 * is one URL for every cache in between.
 */
export function persistedGetUrl(url: string, document: DocumentText, variables: unknown): string {
  const search = new URLSearchParams({ variables: JSON.stringify(variables), extensions: JSON.stringify(persistedQuery(document)) });
  return `${url}?${search.toString()}`;
}

export function createTillgateClient(options: TillgateClientOptions): TillgateClient {
  const send = options.fetch ?? fetch;
  const caller: Record<string, string> = {};
  if (options.token) caller.authorization = `Bearer ${options.token}`;
  if (options.apiKey) caller['x-api-key'] = options.apiKey;
  const headers = { 'content-type': 'application/json', ...caller };
  // A GET has no body, so no content-type: Apollo's CSRF prevention then asks for this header (a browser preflights it).
  const getHeaders = { 'apollo-require-preflight': 'true', ...caller };

  const execute = async <TResult, TVariables>(
    document: TillgateDocument<TResult, TVariables>,
    ...[variables]: VariablesOf<TVariables>
  ): Promise<TillgateResponse<TResult>> => {
    const persisted = options.persisted ?? false;
    const response =
      persisted && isCatalogDocument(document)
        ? await send(persistedGetUrl(options.url, document, variables ?? {}), { method: 'GET', headers: getHeaders })
        : await send(options.url, { method: 'POST', headers, body: JSON.stringify(requestBody(document, variables ?? {}, persisted)) });
    const text = await response.text();
    let body: { data?: TResult | null; errors?: TillgateErrorEntry[] };
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `The server answered HTTP ${response.status} without JSON.` }] };
    }
    return { status: response.status, data: body.data, errors: body.errors };
  };

  return {
    execute,
    async request(document, ...variables) {
      const answer = await execute(document, ...variables);
      if (answer.errors?.length || answer.data == null) throw new TillgateRequestError(answer.status, answer.errors ?? []);
      return answer.data;
    },
    withToken: (token) => createTillgateClient({ ...options, token }),
  };
}
