import { timingSafeEqual } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import express, { type Request, type Response, type Router } from 'express';
import { Role, SagaStatus } from '../../entities';
import { GraphQLContext, viewerFor } from '../../schema/context';
import type { AppDeps } from '../../services/app-deps';
import { AuthService, MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from '../../services/auth/auth.service';
import type { Viewer } from '../../services/auth/tokens';
import { checkoutOutcomes } from '../../services/operations/checkout-outcomes.service';
import { OutboxOperationsService } from '../../services/operations/outbox-operations.service';
import { SagaOperationsService } from '../../services/operations/saga-operations.service';
import { TransferOperationsService } from '../../services/operations/transfer-operations.service';
import { isId } from '../../services/shared/ids';
import { logger } from '../../services/shared/logger';
import type { Outcome } from '../../services/shared/outcome';
import { rateLimitsOf, type RateLimits } from '../rate-limits';
import { RateLimitedError } from '../rate-limits/rate-limited.error';
import { OPS_PAGE_HEADERS } from './html';
import { dashboardPage, signInPage, type Notice, type OpsAction } from './ops-page';
import { OPS_CSS } from './ops-style';

const COOKIE = 'tillgate_ops';
/** The cookie's lifetime and its token's: a working day, far shorter than an API token's week. */
export const OPS_SESSION_SECONDS = 8 * 3_600;
const LIST_SIZE = 20;
const FOREIGN_FORM = 'The form did not come from this page; nothing was done.';

/** Each button's GraphQL mutation: the page acts through the same API, authorization and services as any admin client. */
const MUTATIONS: Record<OpsAction, string> = {
  recoverSaga: 'mutation OpsRecoverSaga($id: ID!) { recoverSaga(input: { id: $id }) { id status } }',
  replayOutboxEvent: 'mutation OpsReplayOutboxEvent($id: ID!) { replayOutboxEvent(input: { id: $id }) { id status } }',
  retrySellerTransfer: 'mutation OpsRetrySellerTransfer($id: ID!) { retrySellerTransfer(input: { id: $id }) { id status } }',
};
const isAction = (value: unknown): value is OpsAction => typeof value === 'string' && Object.hasOwn(MUTATIONS, value);

interface Session {
  token: string;
  viewer: Viewer;
}

/** A form field as sent, or null when it is missing, empty or longer than the GraphQL input would take. */
const formField = (value: unknown, maxLength: number): string | null =>
  typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : null;

/**
 * /ops: a small server-rendered page for admins. Sign-in takes an admin's
 * email and password under logIn's own rate limits (the same counters as the
 * GraphQL mutation) and keeps a session token from the TokenService in an
 * HttpOnly, SameSite=Strict cookie scoped to /ops; every request checks it
 * again (revokeTokens, or a new password, signs the page out). The page shows
 * the last hour's checkout outcomes, subscriptions by status, the stuck sagas, outbox events and
 * transfers, and a button per item that posts a form (with a token derived
 * from the session) which runs the admin GraphQL mutation in-process: /graphql
 * itself never reads the cookie. No script, no external asset: it works
 * offline under a strict CSP.
 */
export function opsRouter(deps: AppDeps, graphql: ApolloServer<GraphQLContext>, rateLimits: RateLimits): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const secure = deps.config.publicUrl.startsWith('https:');
  const fromThisPage = sameOriginCheck(new URL(deps.config.publicUrl).origin);

  const sessionOf = async (req: Request): Promise<Session | null> => {
    const token = readCookie(req, COOKIE);
    if (!token || token.length > 2_000) return null;
    const viewer = await viewerFor(deps, deps.db.session(), `Bearer ${token}`);
    return viewer?.role === 'ADMIN' ? { token, viewer } : null;
  };
  const formToken = (session: Session) => deps.tokens.mac('ops-form', session.token).toString('base64url');
  const validForm = (session: Session, given: unknown) => {
    const expected = Buffer.from(formToken(session));
    const actual = Buffer.from(typeof given === 'string' ? given : '');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  const send = (res: Response, status: number, html: string) => res.status(status).set(OPS_PAGE_HEADERS).type('html').send(html);
  const setSession = (res: Response, token: string, maxAge: number) =>
    res.set('set-cookie', `${COOKIE}=${token}; Path=/ops; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`);

  router.get('/ops/ops.css', (_req, res) => {
    res.set({ 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).type('css').send(OPS_CSS);
  });

  router.get('/ops', async (req, res) => {
    const session = await sessionOf(req);
    if (!session) {
      send(res, 200, signInPage(readCookie(req, COOKIE) ? 'Your session ended; sign in again.' : null));
      return;
    }
    try {
      send(res, 200, dashboardPage({ ...(await readDashboard(deps)), csrf: formToken(session), notice: noticeFrom(req) }));
    } catch (error) {
      logger.error('ops.page_failed', { error });
      send(res, 500, signInPage('The page could not be read right now; reload in a moment.'));
    }
  });

  router.post('/ops/sign-in', form, async (req, res) => {
    // A form posted from another site must not sign this browser in, not even into the attacker's own account.
    if (!fromThisPage(req)) {
      send(res, 403, signInPage(FOREIGN_FORM));
      return;
    }
    const email = formField(req.body?.email, MAX_EMAIL_LENGTH);
    const password = formField(req.body?.password, MAX_PASSWORD_LENGTH);
    if (email === null || password === null) {
      send(res, 400, signInPage('Enter the email and password of an admin account.'));
      return;
    }
    const context = rateLimits.bind(new GraphQLContext(deps, deps.db.session(), null, null), req);
    let outcome: Awaited<ReturnType<AuthService['logIn']>>;
    try {
      outcome = await rateLimitsOf(context).logIn(email, () => new AuthService(context.em, deps).logIn({ email, password }));
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      res.set('retry-after', String(error.retryAfterSeconds));
      send(res, 429, signInPage(error.message));
      return;
    }
    if (!outcome.ok) {
      send(res, 401, signInPage('Email or password is wrong.'));
      return;
    }
    const { customer } = outcome.value;
    if (customer.role !== Role.ADMIN) {
      send(res, 403, signInPage('This account is not an admin.'));
      return;
    }
    const token = await deps.tokens.sign({ customerId: customer.id, role: customer.role, tokenVersion: customer.tokenVersion }, OPS_SESSION_SECONDS);
    logger.info('ops.signed_in', { customerId: customer.id });
    setSession(res, token, OPS_SESSION_SECONDS).redirect(303, '/ops');
  });

  router.post('/ops/sign-out', form, async (req, res) => {
    const session = await sessionOf(req);
    if (!fromThisPage(req) || (session && !validForm(session, req.body?.csrf))) {
      send(res, 403, signInPage(FOREIGN_FORM));
      return;
    }
    setSession(res, '', 0).redirect(303, '/ops');
  });

  router.post('/ops/actions', form, async (req, res) => {
    if (!fromThisPage(req)) {
      send(res, 403, signInPage(FOREIGN_FORM));
      return;
    }
    const session = await sessionOf(req);
    if (!session) {
      send(res, 401, signInPage('Sign in first.'));
      return;
    }
    const { action, id, csrf } = req.body ?? {};
    if (!validForm(session, csrf)) {
      send(res, 403, signInPage(FOREIGN_FORM));
      return;
    }
    if (!isAction(action) || typeof id !== 'string' || id.length > 64) {
      res.redirect(303, '/ops');
      return;
    }
    const refusedWith = await runMutation(deps, graphql, session.viewer, action, id);
    const query = new URLSearchParams({ done: action, id, ...(refusedWith ? { refused: refusedWith } : {}) });
    res.redirect(303, `/ops?${query}`);
  });

  return router;
}

/** Runs the action's mutation as the signed-in admin; the error code it was refused with, or null when done. */
async function runMutation(deps: AppDeps, graphql: ApolloServer<GraphQLContext>, viewer: Viewer, action: OpsAction, id: string): Promise<string | null> {
  const contextValue = new GraphQLContext(deps, deps.db.session(), viewer, null);
  const response = await graphql.executeOperation({ query: MUTATIONS[action], variables: { id } }, { contextValue });
  const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
  if (!errors?.length) return null;
  const extensions = errors[0].extensions ?? {};
  return String(extensions.errorCode ?? extensions.code ?? 'INTERNAL_SERVER_ERROR');
}

async function readDashboard(deps: AppDeps) {
  const em = deps.orm.em.fork();
  const sagas = new SagaOperationsService(em, deps);
  const page = { first: LIST_SIZE, after: null };
  const lists = [
    await sagas.list({ status: SagaStatus.FAILED, stuck: null }, page),
    await sagas.list({ status: null, stuck: true }, page),
  ];
  return {
    outcomes: await checkoutOutcomes(deps, em, deps.clock.now()),
    sagas: lists.flatMap((list) => nodes(list).nodes),
    outboxEvents: nodes(await new OutboxOperationsService(em, deps).list(null, page)).nodes,
    transfers: nodes(await new TransferOperationsService(em, deps).list(null, page)),
    subscriptions: await deps.stores.renewals.subscriptionsAtAGlance(deps.db.unitOfWork(em)),
  };
}

/** The page asks with fixed, valid arguments: a refusal here is a bug. */
function nodes<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`ops page list refused: ${outcome.failure.message}`);
  return outcome.value;
}

function noticeFrom(req: Request): Notice | null {
  const { done, id, refused } = req.query;
  if (!isAction(done) || !isId(id)) return null;
  const refusedWith = typeof refused === 'string' && /^[A-Z_]{1,40}$/.test(refused) ? refused : null;
  return { action: done, id, refusedWith };
}

/**
 * Whether a POST comes from this site's own page. Browsers name a form's origin
 * (Origin, and Sec-Fetch-Site in current ones); either naming another site is
 * refused, before the cookie is looked at. A request naming neither is no
 * browser's (which could be tricked into sending it), so it passes on to the
 * session and form-token checks. Origin may be PUBLIC_URL's, or the host the
 * request was sent to (a development server reached as 127.0.0.1).
 */
function sameOriginCheck(publicOrigin: string): (req: Request) => boolean {
  return (req) => {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return false;
    const origin = req.headers.origin;
    if (origin === undefined || origin === publicOrigin) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      // "null" (a sandboxed frame, a redirect from elsewhere) and anything malformed.
      return false;
    }
  };
}

function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || null;
  }
  return null;
}
