import { SignJWT } from 'jose';
import { Customer, Role } from '../../../src/entities';
import { AuthService } from '../../../src/services/auth/auth.service';
import { hashPassword, PASSWORD_COST, usePasswordCostForTests } from '../../../src/services/auth/passwords';
import { startTestApp, TEST_ADMIN, TEST_AUTH_SECRET, type TestApp } from '../../support/test-app';
import { testDialect } from '../../support/test-database';
import { TEST_PASSWORD_COST } from '../../support/test-password-cost';

const ME = 'query { me { id email role } }';
const REVOKE = 'mutation($id: ID!) { revokeTokens(customerId: $id) }';
const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { __typename ... on AuthPayload { token } ... on UserError { errorCode } } }`;

describe('token versions and password upgrades (issue 9)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  const me = async (token: string) => (await app.gql(ME, {}, { token })).data?.me ?? null;
  const stored = (id: string) => app.orm.em.fork().findOneOrFail(Customer, { id });

  it("when an admin revokes a customer's tokens, then the old token fails, other customers' tokens work, and a new logIn works", async () => {
    const ada = await app.customer();
    const bob = await app.customer();
    expect(await me(ada.token)).toMatchObject({ id: ada.id });

    const revoked = await app.gql(REVOKE, { id: ada.id }, { token: await app.adminToken() });
    expect(revoked).toEqual({ data: { revokeTokens: true } });

    expect(await me(ada.token)).toBeNull();
    expect(await me(bob.token)).toMatchObject({ id: bob.id });
    const again = await app.gql(LOG_IN, { input: { email: ada.email, password: 'correct-horse-battery' } });
    expect(await me(again.data.logIn.token)).toMatchObject({ id: ada.id });
    expect((await stored(ada.id)).tokenVersion).toBe(1);
  });

  it('when a revoked token calls a protected mutation, then UNAUTHENTICATED, as with no token', async () => {
    const admin = await app.adminToken();
    const adminId = (await me(admin)).id;
    expect((await app.gql(REVOKE, { id: adminId }, { token: admin })).data.revokeTokens).toBe(true);
    const after = await app.gql(REVOKE, { id: adminId }, { token: admin });
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('when a customer or nobody asks to revoke tokens, then FORBIDDEN or UNAUTHENTICATED; an unknown id answers false', async () => {
    const ada = await app.customer();
    expect((await app.gql(REVOKE, { id: ada.id }, { token: ada.token })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(REVOKE, { id: ada.id })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await me(ada.token)).toMatchObject({ id: ada.id });
    const admin = await app.adminToken();
    expect((await app.gql(REVOKE, { id: '00000000-0000-4000-8000-000000000000' }, { token: admin })).data.revokeTokens).toBe(false);
    expect((await app.gql(REVOKE, { id: 'not-an-id' }, { token: admin })).data.revokeTokens).toBe(false);
  });

  it('when a token from before token versions (no version claim) is used, then it counts as version 0 until a revocation', async () => {
    const ada = await app.customer();
    const legacy = await new SignJWT({ role: 'CUSTOMER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(ada.id)
      .setIssuer('tillgate')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_AUTH_SECRET));
    expect(await me(legacy)).toMatchObject({ id: ada.id });
    await app.gql(REVOKE, { id: ada.id }, { token: await app.adminToken() });
    expect(await me(legacy)).toBeNull();
  });

  it("when an account is made an admin with its own password, then its token acts as an admin from the next request, the stored role counting, not the token's", async () => {
    const ada = await app.customer();
    const someone = { id: (await app.customer()).id };
    expect((await app.gql(REVOKE, someone, { token: ada.token })).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const change = await new AuthService(app.orm.em.fork(), app.tillgate.deps).ensureAdmin(ada.email, 'correct-horse-battery');

    expect(change).toMatchObject({ previousRole: Role.CUSTOMER, passwordReplaced: false });
    expect(await app.gql(REVOKE, someone, { token: ada.token })).toEqual({ data: { revokeTokens: true } });
    expect(await me(ada.token)).toMatchObject({ role: 'ADMIN' });
  });

  if (testDialect() === 'postgresql') {
    it("when an operator's own SQL changes a role, then the customers trigger tells the gateway and the stored role counts within a second", async () => {
      const admin = await app.adminToken();
      const adminId = (await me(admin)).id;
      expect(app.tillgate.deps.access.find(adminId)).toMatchObject({ role: Role.ADMIN });

      await app.orm.em.fork().nativeUpdate(Customer, { id: adminId }, { role: Role.CUSTOMER });
      const changedAt = Date.now();

      while (app.tillgate.deps.access.find(adminId) && Date.now() - changedAt < 1_000) await new Promise((r) => setTimeout(r, 10));
      expect((await app.gql(REVOKE, { id: adminId }, { token: admin })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(Date.now() - changedAt).toBeLessThan(1_000);
    });
  }

  it("when the configured admin password changes at a restart, then the admin's earlier tokens fail; the same password keeps them", async () => {
    const admin = await app.adminToken();
    await new AuthService(app.orm.em.fork(), app.tillgate.deps).ensureAdmin(TEST_ADMIN.email, TEST_ADMIN.password);
    expect(await me(admin)).toMatchObject({ role: 'ADMIN' });
    await new AuthService(app.orm.em.fork(), app.tillgate.deps).ensureAdmin(TEST_ADMIN.email, 'a-new-admin-password');
    expect(await me(admin)).toBeNull();
  });

  describe('with the production scrypt cost', () => {
    beforeEach(() => usePasswordCostForTests(null));
    afterEach(() => usePasswordCostForTests(TEST_PASSWORD_COST));

    it('when a customer whose hash has the old parameters (N=2^14) logs in, then the hash is re-made with N=2^17 and still verifies', async () => {
      const email = 'old-hash@example.com';
      const em = app.orm.em.fork();
      const customer = em.create(Customer, { email, passwordHash: await hashPassword('an-old-password', { N: 2 ** 14, r: 8, p: 1 }) });
      await em.flush();

      const first = await app.gql(LOG_IN, { input: { email, password: 'an-old-password' } });
      expect(first.data.logIn.__typename).toBe('AuthPayload');
      const upgraded = (await stored(customer.id)).passwordHash;
      expect(upgraded.startsWith(`scrypt$${PASSWORD_COST.N}$${PASSWORD_COST.r}$${PASSWORD_COST.p}$`)).toBe(true);

      const second = await app.gql(LOG_IN, { input: { email, password: 'an-old-password' } });
      expect(second.data.logIn.__typename).toBe('AuthPayload');
      expect((await stored(customer.id)).passwordHash).toBe(upgraded);
      const wrong = await app.gql(LOG_IN, { input: { email, password: 'not-the-password' } });
      expect(wrong.data.logIn).toEqual({ __typename: 'UserError', errorCode: 'INVALID_CREDENTIALS' });
    });

    it('when a wrong password is given for an old hash, then the hash is left as it was', async () => {
      const em = app.orm.em.fork();
      const oldHash = await hashPassword('an-old-password', { N: 2 ** 14, r: 8, p: 1 });
      const customer = em.create(Customer, { email: 'still-old@example.com', passwordHash: oldHash });
      await em.flush();
      const wrong = await app.gql(LOG_IN, { input: { email: 'still-old@example.com', password: 'a-guess-1234' } });
      expect(wrong.data.logIn.errorCode).toBe('INVALID_CREDENTIALS');
      expect((await stored(customer.id)).passwordHash).toBe(oldHash);
    });
  });
});
