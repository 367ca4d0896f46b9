import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Request, RequestHandler, Response } from 'express';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../schema/context';
import { publicDocuments } from '../schema/public-document';

/**
 * Public caching of catalog answers (CATALOG_MAX_AGE). An answer says
 * `Cache-Control: public, max-age=N` only when all of these hold, and
 * `no-store` otherwise:
 *
 * - the request is a GET with a persisted-query hash: a short, stable URL a
 *   CDN or browser can key on. A POST is never kept.
 * - it names nobody: no Authorization, Cookie or X-Api-Key header. A signed-in
 *   customer's or a partner's request is never answered publicly, whatever it
 *   asks for.
 * - its document is public (src/schema/public-document.ts: one query of the
 *   catalog's root fields, nothing private below them; decided once per parsed
 *   document from the schema's hints, not per resolved field), and the answer
 *   has no errors. A mutation never is.
 *
 * A public answer carries a strong ETag, the sha256 of its exact bytes, and
 * Vary on the headers that would have changed the decision, so that no cache
 * hands it to a signed-in request. A GET whose If-None-Match matches gets 304
 * without the body. The gateway is itself such a shared cache: it keeps each
 * public answer for its max-age (PublicAnswers) and answers the same anonymous
 * GET from it without running the query, so a changed price shows within
 * CATALOG_MAX_AGE, as it would through any cache in front.
 */

/** Headers that name the caller: a request with any of them is never answered publicly. */
const IDENTIFYING_HEADERS = ['Authorization', 'Cookie', 'X-Api-Key'] as const;
const NOT_STORED = 'no-store';

function mayBeAnsweredPublicly({ request, contextValue }: GraphQLRequestContext<GraphQLContext>): boolean {
  const http = request.http;
  if (!http || http.method !== 'GET' || request.extensions?.persistedQuery === undefined) return false;
  if (IDENTIFYING_HEADERS.some((name) => http.headers.has(name))) return false;
  return contextValue.viewer === null && contextValue.partner === null;
}

/** Writes Cache-Control on every answer of /graphql: public for max-age when the request and its document may be, else no-store. */
function cacheControlHeader(maxAgeSeconds: number, isPublicDocument: (document: DocumentNode) => boolean): ApolloServerPlugin<GraphQLContext> {
  const publicHeader = `public, max-age=${maxAgeSeconds}`;
  return {
    async requestDidStart(start) {
      const possible = maxAgeSeconds > 0 && mayBeAnsweredPublicly(start);
      return {
        async willSendResponse({ response, document }) {
          const clean = response.body.kind === 'single' && !response.body.singleResult.errors;
          const header = possible && clean && document !== undefined && isPublicDocument(document) ? publicHeader : NOT_STORED;
          response.http.headers.set('cache-control', header);
        },
      };
    },
  };
}

/**
 * The plugins behind public catalog answers. Apollo's own cache-control plugin
 * is named off: Apollo would otherwise install it by default, and it follows
 * every resolved field of every request to compute a policy this gateway
 * decides from the document alone. With a max-age of 0 nothing is public.
 */
export function publicCachePlugins(maxAgeSeconds: number, schema: GraphQLSchema): ApolloServerPlugin<GraphQLContext>[] {
  return [ApolloServerPluginCacheControlDisabled(), cacheControlHeader(maxAgeSeconds, publicDocuments(schema))];
}

const isPublic = (cacheControl: ReturnType<Response['getHeader']>): cacheControl is string =>
  typeof cacheControl === 'string' && cacheControl.startsWith('public');

/** A strong validator: equal only for byte-equal bodies. */
export const strongEtag = (body: string): string => `"${createHash('sha256').update(body).digest('base64url')}"`;

/**
 * If-None-Match against the answer's ETag, compared weakly as RFC 9110 asks
 * (13.1.2); `*` matches any answer. Express's own check (`req.fresh`) is not
 * used: it ignores the header when the request says `Cache-Control: no-cache`,
 * which fetch() adds to every request that sets If-None-Match itself.
 */
function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/** A public answer as sent, kept until its max-age is over. */
interface KeptAnswer {
  body: string;
  etag: string;
  cacheControl: string;
  contentType: string;
  expiresAt: number;
}

/**
 * The public answers this process sent, by URL (a GET by hash names its
 * document and variables in the URL), each until its max-age is over. Bounded:
 * past MAX_KEPT the oldest is dropped. Only anonymous GETs read it, with the
 * same CSRF-prevention header Apollo asks of a GET, so it never answers a
 * request Apollo would have refused or answered privately.
 */
export class PublicAnswers {
  private readonly kept = new Map<string, KeptAnswer>();
  constructor(private readonly maxKept = 1_000) {}

  find(url: string, now: number): KeptAnswer | null {
    const answer = this.kept.get(url);
    if (!answer) return null;
    if (answer.expiresAt > now) return answer;
    this.kept.delete(url);
    return null;
  }

  keep(url: string, answer: KeptAnswer): void {
    this.kept.delete(url);
    if (this.kept.size >= this.maxKept) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(url, answer);
  }
}

const maxAgeOf = (cacheControl: string): number => Number(/max-age=(\d+)/.exec(cacheControl)?.[1] ?? 0);

/** A GET that Apollo would run (CSRF prevention: a non-simple header) and that names nobody. */
function anonymousGet(req: Request): boolean {
  if (req.method !== 'GET' || IDENTIFYING_HEADERS.some((name) => req.headers[name.toLowerCase()] !== undefined)) return false;
  return req.headers['apollo-require-preflight'] !== undefined || req.headers['x-apollo-operation-name'] !== undefined;
}

function sendPublic(req: Request, res: Response, answer: Pick<KeptAnswer, 'body' | 'etag'>): boolean {
  res.setHeader('ETag', answer.etag);
  for (const name of IDENTIFYING_HEADERS) res.vary(name);
  return noneMatchHits(req.headers['if-none-match'], answer.etag);
}

/**
 * Mounted on /graphql before Apollo. An anonymous GET whose public answer is
 * kept and fresh is answered from it (304 when If-None-Match names its ETag).
 * Otherwise a GET's public answer gets its ETag and Vary just before Express
 * sends it, is kept, and becomes 304 when If-None-Match names that ETag
 * (Express then sends the headers without the body). Other answers are sent
 * untouched, unhashed.
 */
export function publicAnswerValidators(answers: PublicAnswers = new PublicAnswers()): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET') return next();
    const anonymous = anonymousGet(req);
    const kept = anonymous ? answers.find(req.originalUrl, Date.now()) : null;
    if (kept) {
      res.setHeader('Cache-Control', kept.cacheControl);
      res.setHeader('Content-Type', kept.contentType);
      if (sendPublic(req, res, kept)) res.status(304).end();
      else res.status(200).send(kept.body);
      return;
    }
    const send = res.send.bind(res);
    res.send = ((body?: unknown) => {
      const cacheControl = res.getHeader('cache-control');
      if (typeof body === 'string' && res.statusCode === 200 && isPublic(cacheControl)) {
        const etag = strongEtag(body);
        if (anonymous) {
          const contentType = String(res.getHeader('content-type') ?? 'application/json; charset=utf-8');
          answers.keep(req.originalUrl, { body, etag, cacheControl, contentType, expiresAt: Date.now() + maxAgeOf(cacheControl) * 1_000 });
        }
        if (sendPublic(req, res, { body, etag })) res.status(304);
      }
      return send(body);
    }) as Response['send'];
    next();
  };
}
