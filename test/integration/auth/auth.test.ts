import { SignJWT } from 'jose';
import { startTestApp, TEST_AUTH_SECRET, type TestApp } from '../../support/test-app';

const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) {
    __typename
    ... on AuthPayload { token customer { id email role } }
    ... on UserError { errorCode field message }
  }
}`;
const LOG_IN = SIGN_UP.replace(/signUp/g, 'logIn').replace('SignUpInput', 'LogInInput');
const ME = `query { me { id email role } }`;

describe('accounts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  it('when a customer signs up, then the token identifies them in me', async () => {
    const signUp = await app.gql(SIGN_UP, { input: { email: 'Ada@Example.com', password: 'long-enough-pw' } });
    expect(signUp.data.signUp).toMatchObject({ __typename: 'AuthPayload', customer: { email: 'ada@example.com', role: 'CUSTOMER' } });
    const me = await app.gql(ME, {}, { token: signUp.data.signUp.token });
    expect(me.data.me).toEqual(signUp.data.signUp.customer);
  });

  it('when the email is taken in any letter case, then signUp answers EMAIL_TAKEN', async () => {
    await app.gql(SIGN_UP, { input: { email: 'bob@example.com', password: 'long-enough-pw' } });
    const again = await app.gql(SIGN_UP, { input: { email: 'BOB@example.com', password: 'another-password' } });
    expect(again.data.signUp).toMatchObject({ __typename: 'UserError', errorCode: 'EMAIL_TAKEN', field: 'email' });
  });

  it('when the password is short or the email malformed, then VALIDATION_FAILED names the field', async () => {
    const short = await app.gql(SIGN_UP, { input: { email: 'c@example.com', password: 'short' } });
    expect(short.data.signUp).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'password' });
    const bad = await app.gql(SIGN_UP, { input: { email: 'not-an-email', password: 'long-enough-pw' } });
    expect(bad.data.signUp).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'email' });
  });

  it('when the password is wrong or the email unknown, then logIn answers INVALID_CREDENTIALS alike', async () => {
    await app.gql(SIGN_UP, { input: { email: 'dee@example.com', password: 'long-enough-pw' } });
    const wrong = await app.gql(LOG_IN, { input: { email: 'dee@example.com', password: 'not-the-password' } });
    const unknown = await app.gql(LOG_IN, { input: { email: 'nobody@example.com', password: 'long-enough-pw' } });
    expect(wrong.data.logIn).toMatchObject({ errorCode: 'INVALID_CREDENTIALS' });
    expect(unknown.data.logIn).toEqual(wrong.data.logIn);
    const right = await app.gql(LOG_IN, { input: { email: 'DEE@example.com', password: 'long-enough-pw' } });
    expect(right.data.logIn.__typename).toBe('AuthPayload');
  });

  it('when the token is forged or absent, then me is null', async () => {
    expect((await app.gql(ME)).data.me).toBeNull();
    expect((await app.gql(ME, {}, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.forged' })).data.me).toBeNull();
  });

  it('when a token signed with the right key has expired, then me is null', async () => {
    const signUp = await app.gql(SIGN_UP, { input: { email: 'eve@example.com', password: 'long-enough-pw' } });
    const customerId = signUp.data.signUp.customer.id;
    const tokenFor = (expiresAt: number) =>
      new SignJWT({ role: 'CUSTOMER' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(customerId)
        .setIssuer('tillgate')
        .setIssuedAt(expiresAt - 3_600)
        .setExpirationTime(expiresAt)
        .sign(new TextEncoder().encode(TEST_AUTH_SECRET));
    const nowS = Math.floor(Date.now() / 1000);
    // The same token shape one hour ahead is accepted: only the expiry differs.
    expect((await app.gql(ME, {}, { token: await tokenFor(nowS + 3_600) })).data.me).toMatchObject({ id: customerId });
    expect((await app.gql(ME, {}, { token: await tokenFor(nowS - 60) })).data.me).toBeNull();
  });

  it('when the configured admin logs in, then their role is ADMIN', async () => {
    const me = await app.gql(ME, {}, { token: await app.adminToken() });
    expect(me.data.me.role).toBe('ADMIN');
  });
});
