import { decodeJwt } from 'jose';
import { Customer, OutboxEvent, OutboxEventStatus } from '../../../src/entities';
import { OPS_SESSION_SECONDS } from '../../../src/http/ops/ops.router';
import { AuthService } from '../../../src/services/auth/auth.service';
import { TokenStandingService } from '../../../src/services/auth/token-standing.service';
import { transition } from '../../../src/services/state/transition';
import type { TestApp } from '../../support/test-app';
import { commitEvents } from '../outbox/support/commit-events';
import { freshAddress, gqlAs, LOG_IN, refusalOf, startLimitedApp, uniqueEmail } from '../rate-limits/rate-limit-harness';

const PASSWORD = 'ops-admin-password-123';

interface FormPost {
  from?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

/** A form posted to /ops as a client at `from` (X-Forwarded-For), as a browser would without following the redirect. */
function postForm(app: TestApp, path: string, fields: Record<string, string>, post: FormPost = {}): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(fields),
    headers: { 'x-forwarded-for': post.from ?? freshAddress(), ...(post.cookie ? { cookie: post.cookie } : {}), ...post.headers },
  });
}

/** `name=value` of the session cookie a response sets, for the next request's Cookie header. */
const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0];

async function account(app: TestApp, role: 'ADMIN' | 'CUSTOMER'): Promise<string> {
  const email = uniqueEmail(role === 'ADMIN' ? 'ops-admin' : 'ops-customer');
  const auth = new AuthService(app.orm.em.fork(), app.tillgate.deps);
  if (role === 'ADMIN') await auth.ensureAdmin(email, PASSWORD);
  else expect((await auth.signUp({ email, password: PASSWORD })).ok).toBe(true);
  return email;
}

const page = async (app: TestApp, cookie: string) => (await fetch(`${app.url}/ops`, { headers: { cookie } })).text();
const formTokenOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1];

describe('/ops sign-in with email and password (issue 20)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp({ RATE_LIMIT_LOGIN_EMAIL: '3/15m' });
  });
  afterAll(() => app.close());

  it('when an admin signs in, then a 303 to /ops sets an HttpOnly, SameSite=Strict session cookie for /ops holding an 8-hour token, and the page shows the dashboard', async () => {
    const email = await account(app, 'ADMIN');
    const signedIn = await postForm(app, '/ops/sign-in', { email, password: PASSWORD });

    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/ops');
    const setCookie = signedIn.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^tillgate_ops=[\w-]+\.[\w-]+\.[\w-]+; Path=\/ops; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const claims = decodeJwt(cookieOf(signedIn).split('=')[1]);
    expect(claims.exp! - claims.iat!).toBe(OPS_SESSION_SECONDS);
    const html = await page(app, cookieOf(signedIn));
    expect(html).toContain('Sign out');
    expect(html).not.toContain('name="password"');
  });

  it("when the password is wrong, then 401 and no cookie, and each failure counts toward logIn's limit: after three, logIn over GraphQL is refused even with the right password", async () => {
    const email = await account(app, 'ADMIN');
    for (const guess of ['guess-one-1', 'guess-two-2', 'guess-three-3']) {
      const refused = await postForm(app, '/ops/sign-in', { email, password: guess });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('set-cookie')).toBeNull();
      expect(await refused.text()).toContain('Email or password is wrong.');
    }

    const overGraphQL = await gqlAs(app, freshAddress(), LOG_IN, { input: { email, password: PASSWORD } });
    expect(overGraphQL.status).toBe(429);
    expect(refusalOf(overGraphQL.body)).not.toBeNull();
    const onThePage = await postForm(app, '/ops/sign-in', { email, password: PASSWORD });
    expect(onThePage.status).toBe(429);
    expect(Number(onThePage.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(onThePage.headers.get('set-cookie')).toBeNull();
  });

  it('when logIn failed over GraphQL, then those failures count on the page too', async () => {
    const email = await account(app, 'ADMIN');
    const from = freshAddress();
    for (const guess of ['guess-one-1', 'guess-two-2', 'guess-three-3']) {
      expect((await gqlAs(app, from, LOG_IN, { input: { email, password: guess } })).body.data?.logIn.errorCode).toBe('INVALID_CREDENTIALS');
    }
    expect((await postForm(app, '/ops/sign-in', { email, password: PASSWORD })).status).toBe(429);
  });

  it('when a customer signs in with the right password, then 403, no cookie, and the page stays closed', async () => {
    const email = await account(app, 'CUSTOMER');
    const refused = await postForm(app, '/ops/sign-in', { email, password: PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await refused.text()).toContain('This account is not an admin.');
  });

  it("when the admin signs out, then the cookie is cleared; a sign-out without the page's form token is refused", async () => {
    const cookie = cookieOf(await postForm(app, '/ops/sign-in', { email: await account(app, 'ADMIN'), password: PASSWORD }));
    const forged = await postForm(app, '/ops/sign-out', { csrf: 'forged' }, { cookie });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();

    const signedOut = await postForm(app, '/ops/sign-out', { csrf: formTokenOf(await page(app, cookie)) }, { cookie });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('set-cookie')).toMatch(/^tillgate_ops=; Path=\/ops; HttpOnly; SameSite=Strict; Max-Age=0$/);
    expect(await page(app, cookieOf(signedOut))).toContain('name="password"');
  });

  it("when revokeTokens ends the admin's tokens, then the page's session ends with them", async () => {
    const email = await account(app, 'ADMIN');
    const cookie = cookieOf(await postForm(app, '/ops/sign-in', { email, password: PASSWORD }));
    const { id } = await app.orm.em.fork().findOneOrFail(Customer, { email });
    await new TokenStandingService(app.orm.em.fork(), app.tillgate.deps).revokeTokens(id);
    expect(await page(app, cookie)).toContain('Your session ended; sign in again.');
  });

  it('when a form comes from another site, then sign-in sets no cookie and an action changes nothing, even with a valid session and form token', async () => {
    const email = await account(app, 'ADMIN');
    const crossSite = { origin: 'https://attacker.example' };
    const signIn = await postForm(app, '/ops/sign-in', { email, password: PASSWORD }, { headers: crossSite });
    expect(signIn.status).toBe(403);
    expect(signIn.headers.get('set-cookie')).toBeNull();
    const fetchMetadata = await postForm(app, '/ops/sign-in', { email, password: PASSWORD }, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchMetadata.status).toBe(403);

    const [event] = await commitEvents(app.orm, 1);
    await transition(app.orm.em.fork(), OutboxEvent, event.id, OutboxEventStatus.PENDING, OutboxEventStatus.DEAD, { attempts: 10 });
    const cookie = cookieOf(await postForm(app, '/ops/sign-in', { email, password: PASSWORD }));
    const csrf = formTokenOf(await page(app, cookie));
    const forged = await postForm(app, '/ops/actions', { action: 'replayOutboxEvent', id: event.id, csrf }, { cookie, headers: crossSite });
    const sameSiteOther = await postForm(
      app,
      '/ops/actions',
      { action: 'replayOutboxEvent', id: event.id, csrf },
      { cookie, headers: { 'sec-fetch-site': 'same-site' } },
    );
    const withoutFormToken = await postForm(app, '/ops/actions', { action: 'replayOutboxEvent', id: event.id, csrf: 'forged' }, { cookie });
    expect([forged.status, sameSiteOther.status, withoutFormToken.status]).toEqual([403, 403, 403]);
    expect(await app.orm.em.fork().findOneOrFail(OutboxEvent, { id: event.id })).toMatchObject({ status: OutboxEventStatus.DEAD, attempts: 10 });

    const fromThePage = await postForm(
      app,
      '/ops/actions',
      { action: 'replayOutboxEvent', id: event.id, csrf },
      { cookie, headers: { origin: app.url, 'sec-fetch-site': 'same-origin' } },
    );
    expect(fromThePage.status).toBe(303);
    expect(await app.orm.em.fork().findOneOrFail(OutboxEvent, { id: event.id })).toMatchObject({ status: OutboxEventStatus.PENDING });
  });

  it('when the session cookie is sent to /graphql, then it is no credential there', async () => {
    const cookie = cookieOf(await postForm(app, '/ops/sign-in', { email: await account(app, 'ADMIN'), password: PASSWORD }));
    const answer = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(await answer.json()).toEqual({ data: { me: null } });
  });
});

describe('/ops sign-in behind an https PUBLIC_URL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp({ PUBLIC_URL: 'https://shop.example.com' });
  });
  afterAll(() => app.close());

  it('when an admin signs in from the page at PUBLIC_URL, then the cookie is Secure too', async () => {
    const signedIn = await postForm(
      app,
      '/ops/sign-in',
      { email: await account(app, 'ADMIN'), password: PASSWORD },
      { headers: { origin: 'https://shop.example.com' } },
    );
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
  });
});
