import { MeDocument } from '../../../client/src';
import { IssuePartnerKeyDocument, PartnersDocument } from '../../generated/graphql';
import { postGraphQL } from '../../support/http-request';
import { captureLogLines } from '../../support/log-capture';
import { metricMoves } from '../../support/metrics-text';
import { partnerAdmin } from '../../support/partners';
import { startTestApp, type TestApp } from '../../support/test-app';
import { openTestOrm, truncateAll } from '../../support/test-database';
import { documentText, typedClient } from '../../support/typed-client';

const ME = { query: documentText(MeDocument) };
const asPartner = (app: TestApp, key: string) => postGraphQL(app, ME, { 'x-api-key': key });
const INVALID = { errors: [{ message: 'X-Api-Key is not a valid partner key.', extensions: { code: 'PARTNER_KEY_INVALID' } }] };

interface KeyRow {
  prefix: string;
  salt: string;
  secret_hash: string;
  last_used_at: unknown;
}
const keyRows = (app: TestApp): Promise<KeyRow[]> =>
  app.orm.em.fork().getConnection().execute('select prefix, salt, secret_hash, last_used_at from partner_keys order by created_at');

describe('a partner mode without partners', () => {
  it('when it starts with no active partner key in the database, then it serves and says so in one warning', async () => {
    // Whatever an earlier test file of this worker left behind goes first: the database has no partner.
    const orm = await openTestOrm();
    await truncateAll(orm);
    await orm.close(true);
    let started: TestApp | undefined;
    const lines = await captureLogLines(async () => {
      started = await startTestApp({ PERSISTED_QUERIES: 'audit-partners' });
    });
    try {
      expect(lines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'partners.no_active_key')).toEqual([
        expect.objectContaining({ level: 'warn', mode: 'audit-partners' }),
      ]);
      expect(await asPartner(started!, `tgk_${'C'.repeat(12)}.${'D'.repeat(43)}`)).toEqual({ status: 401, body: INVALID });
      expect((await postGraphQL(started!, ME)).body).toEqual({ data: { me: null } });
    } finally {
      await started?.close();
    }
  });
});

describe('named partner keys', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PERSISTED_QUERIES: 'only-for-partners' });
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  it('when a partner mode starts with no partner in the database, then it serves, and a key is issued once and stored only as a salted hash', async () => {
    const admin = await partnerAdmin(app);
    const partnerId = await admin.createPartner('Acme Marketplace');
    const issued = await admin.issueKey(partnerId);
    expect(issued.secret).toMatch(/^tgk_[\w-]{12}\.[\w-]{43}$/);
    expect(issued.secret.startsWith(`${issued.prefix}.`)).toBe(true);

    const [row] = await keyRows(app);
    expect(row.prefix).toBe(issued.prefix);
    expect(JSON.stringify(await app.orm.em.fork().getConnection().execute('select * from partner_keys'))).not.toContain(
      issued.secret.slice(issued.prefix.length + 1),
    );
    expect(row.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);

    const { partners } = await typedClient(app, { token: await app.adminToken() }).data(PartnersDocument, {});
    expect(partners).toEqual([
      {
        id: partnerId,
        name: 'Acme Marketplace',
        createdAt: expect.any(String),
        keys: [{ id: issued.id, prefix: issued.prefix, createdAt: expect.any(String), lastUsedAt: null, revokedAt: null }],
      },
    ]);
    expect(await asPartner(app, issued.secret)).toEqual({ status: 200, body: { data: { me: null } } });
  });

  it('when the X-Api-Key is empty, malformed, unknown or has a wrong secret, then HTTP 401 PARTNER_KEY_INVALID and nothing runs', async () => {
    const admin = await partnerAdmin(app);
    const issued = await admin.issueKey(await admin.createPartner('Acme'));
    const wrongSecret = `${issued.prefix}.${'A'.repeat(43)}`;
    const unknown = `tgk_${'B'.repeat(12)}.${issued.secret.slice(-43)}`;
    for (const key of ['', 'partner-key-one', unknown, wrongSecret]) {
      expect({ key, answer: await asPartner(app, key) }).toEqual({ key, answer: { status: 401, body: INVALID } });
    }
    // A mutation with a bad key is refused before it runs: no cart is created.
    const refused = await postGraphQL(app, { query: 'mutation { createCart(input: { currency: "EUR" }) { id } }' }, { 'x-api-key': wrongSecret });
    expect(refused).toEqual({ status: 401, body: INVALID });
    expect(await app.orm.em.fork().getConnection().execute('select id from carts')).toEqual([]);
  });

  it('when a partner rotates, then two keys work side by side, a third is refused, and a revoked key gets 401 at once while the other still works', async () => {
    const admin = await partnerAdmin(app);
    const partnerId = await admin.createPartner('Rotating Partner');
    const old = await admin.issueKey(partnerId);
    const fresh = await admin.issueKey(partnerId);
    expect((await asPartner(app, old.secret)).status).toBe(200);
    expect((await asPartner(app, fresh.secret)).status).toBe(200);

    const third = await typedClient(app, { token: await app.adminToken() }).request(IssuePartnerKeyDocument, { input: { partnerId } });
    expect(third.errors).toEqual([
      expect.objectContaining({
        message: 'A partner has at most two active keys: revoke one before issuing another.',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED', field: 'partnerId' }),
      }),
    ]);
    expect(await keyRows(app)).toHaveLength(2);

    await admin.revokeKey(old.id);
    expect(await asPartner(app, old.secret)).toEqual({ status: 401, body: INVALID });
    expect((await asPartner(app, fresh.secret)).status).toBe(200);
    // The revoked key's slot is free again.
    const next = await admin.issueKey(partnerId);
    expect((await asPartner(app, next.secret)).status).toBe(200);
  });

  it('when admins issue keys for one partner at the same time, then exactly two are issued and the others are refused', async () => {
    const admin = await partnerAdmin(app);
    const partnerId = await admin.createPartner('Raced Partner');
    const client = typedClient(app, { token: await app.adminToken() });
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.request(IssuePartnerKeyDocument, { input: { partnerId } })));
    const issued = answers.filter((answer) => answer.data?.issuePartnerKey);
    const refused = answers.flatMap((answer) => answer.errors ?? []).map((error) => error.extensions?.errorCode);
    expect({ issued: issued.length, refused }).toEqual({ issued: 2, refused: ['VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED'] });
    expect(await keyRows(app)).toHaveLength(2);
  });

  it('when a key is used, then lastUsedAt is written, and not again within the minute', async () => {
    const admin = await partnerAdmin(app);
    const issued = await admin.issueKey(await admin.createPartner('Busy Partner'));
    await asPartner(app, issued.secret);
    const [first] = await keyRows(app);
    expect(first.last_used_at).not.toBeNull();
    await asPartner(app, issued.secret);
    expect((await keyRows(app))[0].last_used_at).toEqual(first.last_used_at);

    // Two minutes later (the stored time moved back), the next request writes it again.
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await app.orm.em.fork().nativeUpdate('PartnerKey', { prefix: issued.prefix }, { lastUsedAt: twoMinutesAgo });
    await asPartner(app, issued.secret);
    const { partners } = await typedClient(app, { token: await app.adminToken() }).data(PartnersDocument, {});
    expect(Date.parse(partners[0].keys[0].lastUsedAt!)).toBeGreaterThan(twoMinutesAgo.getTime() + 60_000);
  });

  it('when a partner calls, then its name is on the log lines of the request, and the secret never is', async () => {
    const admin = await partnerAdmin(app);
    const issued = await admin.issueKey(await admin.createPartner('Logged Partner'));
    const lines = await captureLogLines(() => postGraphQL(app, { query: '{ shippingMethods(currency: "EUR") { id } }' }, { 'x-api-key': issued.secret }));
    const refusal = lines.map((line) => JSON.parse(line)).find((entry) => entry.event === 'partner.operation_not_listed');
    expect(refusal).toMatchObject({ partner: 'Logged Partner', outcome: 'refused' });
    expect(lines.join('\n')).not.toContain(issued.secret);
  });

  it("when a partner calls, then its operation is counted under its name in /metrics, and an ordinary client's is not", async () => {
    const admin = await partnerAdmin(app);
    const issued = await admin.issueKey(await admin.createPartner('Metered Partner'));
    const moves = await metricMoves(app, 'partner_operations_total', async () => {
      await asPartner(app, issued.secret);
      await postGraphQL(app, ME);
    });
    // Neither caller is signed in, so `me` answers null.
    expect(moves).toEqual({ '{partner="Metered Partner",operation="Me",result="null"}': 1 });
  });

  it('when a customer or a guest asks for partners or issues a key, then it is refused', async () => {
    const customer = await app.customer();
    const answer = await typedClient(app, { token: customer.token }).request(PartnersDocument, {});
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const guest = await typedClient(app).request(PartnersDocument, {});
    expect(guest.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
