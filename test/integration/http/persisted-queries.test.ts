import { createTillgateClient, documentHash, MeDocument, ShippingMethodsDocument } from '../../../client/src';
import { operationHash } from '../../../src/http/persisted-queries';
import { CreateSellerDocument } from '../../generated/graphql';
import { postGraphQL } from '../../support/http-request';
import { captureLogLines } from '../../support/log-capture';
import { partnerAdmin } from '../../support/partners';
import { startTestApp, type TestApp } from '../../support/test-app';
import { documentText } from '../../support/typed-client';

interface Operation {
  query?: string;
  variables?: Record<string, unknown>;
  hash?: string;
}

/** The body an APQ client sends: the hash in extensions, the text only when registering. */
function apq(operation: Operation) {
  const extensions = operation.hash ? { persistedQuery: { version: 1, sha256Hash: operation.hash } } : undefined;
  return { query: operation.query, variables: operation.variables, extensions };
}

const send = (app: TestApp, operation: Operation, headers: Record<string, string> = {}) => postGraphQL(app, apq(operation), headers);

const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((error) => error.extensions?.code);

const NOT_SAFELISTED = '{ shippingMethods(currency: "EUR") { id name } }';

describe('PERSISTED_QUERIES=allow (the default): automatic persisted queries', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('when a hash arrives before its query, then PERSISTED_QUERY_NOT_FOUND; once registered, then the hash alone runs it', async () => {
    const query = `{ me { id } }  # registered ${Date.now()}`;
    const hash = operationHash(query);

    const unknown = await send(app, { hash });
    expect(codes(unknown.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const registered = await send(app, { hash, query });
    expect(registered.body).toEqual({ data: { me: null } });

    const byHash = await send(app, { hash });
    expect(byHash.body).toEqual({ data: { me: null } });
  });

  it('when the hash does not match the query, then the query is refused and not registered', async () => {
    const query = '{ me { email } }';
    const wrong = operationHash('{ me { id } }');
    const refused = await send(app, { hash: wrong, query });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }]);
    expect(codes((await send(app, { hash: operationHash(query) })).body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('PERSISTED_QUERIES=off', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PERSISTED_QUERIES: 'off' });
  });
  afterAll(() => app.close());

  it('when a request carries a persisted-query hash, then PERSISTED_QUERY_NOT_SUPPORTED, and plain queries still run', async () => {
    const query = '{ me { id } }';
    expect(codes((await send(app, { hash: operationHash(query) })).body)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    expect(codes((await send(app, { hash: operationHash(query), query })).body)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    expect((await send(app, { query })).body).toEqual({ data: { me: null } });
  });
});

describe('PERSISTED_QUERIES=only-for-partners: the client package manifest is the partner safelist', () => {
  let app: TestApp;
  let partner: Record<string, string>;
  beforeAll(async () => {
    app = await startTestApp({ PERSISTED_QUERIES: 'only-for-partners' });
    const admin = await partnerAdmin(app);
    const partnerId = await admin.createPartner('Safelist Partner');
    partner = { 'x-api-key': (await admin.issueKey(partnerId)).secret };
  });
  afterAll(() => app.close());

  it('when a partner sends a listed document as text, then it runs', async () => {
    const response = await send(app, { query: documentText(ShippingMethodsDocument), variables: { currency: 'EUR' } }, partner);
    expect(response).toEqual({ status: 200, body: { data: { shippingMethods: [] } } });
  });

  it('when a partner sends only the hash of a listed document, as the client package does when persisted, then it runs without registering it first', async () => {
    expect(await send(app, { hash: documentHash(MeDocument) }, partner)).toEqual({ status: 200, body: { data: { me: null } } });
    const client = createTillgateClient({ url: `${app.url}/graphql`, apiKey: partner['x-api-key'], persisted: true });
    expect(await client.request(ShippingMethodsDocument, { currency: 'EUR' })).toEqual({ shippingMethods: [] });
  });

  it('when a partner sends a listed document laid out differently, then it is the same document and runs', async () => {
    const relaid = `# from a partner's own file\n${documentText(MeDocument).replace(/\n\s*/g, ' ')}`;
    expect(relaid).not.toBe(documentText(MeDocument));
    expect((await send(app, { query: relaid }, partner)).body).toEqual({ data: { me: null } });
  });

  it('when a partner sends a document that is not listed, then HTTP 400 PERSISTED_QUERY_NOT_ALLOWED, logged, while a non-partner runs it', async () => {
    let refused: Awaited<ReturnType<typeof send>> | undefined;
    const lines = await captureLogLines(async () => {
      refused = await send(app, { query: NOT_SAFELISTED }, partner);
    });
    expect(refused!.status).toBe(400);
    expect(codes(refused!.body)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(refused!.body.data).toBeUndefined();
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        event: 'partner.operation_not_listed',
        partner: 'Safelist Partner',
        mode: 'only-for-partners',
        outcome: 'refused',
      }),
    );
    expect((await send(app, { query: NOT_SAFELISTED })).body).toEqual({ data: { shippingMethods: [] } });
  });

  it('when a partner sends an admin operation (never in the client package), then it is refused', async () => {
    const refused = await send(app, { query: documentText(CreateSellerDocument), variables: { input: { name: 'x', stripeAccountId: 'acct_x' } } }, partner);
    expect({ status: refused.status, codes: codes(refused.body) }).toEqual({ status: 400, codes: ['PERSISTED_QUERY_NOT_ALLOWED'] });
  });

  it('when a partner tries to register a new document, or to run one a non-partner registered, then it is refused', async () => {
    const query = `{ me { id email } }  # ${Date.now()}`;
    const hash = operationHash(query);
    expect(codes((await send(app, { hash, query }, partner)).body)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(codes((await send(app, { hash }, partner)).body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    expect((await send(app, { hash, query })).body).toEqual({ data: { me: null } });
    expect(codes((await send(app, { hash }, partner)).body)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
  });
});

describe('PERSISTED_QUERIES=audit-partners', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PERSISTED_QUERIES: 'audit-partners' });
  });
  afterAll(() => app.close());

  it('when a partner sends a document that is not listed, then it runs and is logged with the partner name; a listed one is not logged', async () => {
    const admin = await partnerAdmin(app);
    const partner = { 'x-api-key': (await admin.issueKey(await admin.createPartner('Onboarding Partner'))).secret };
    let ran: Awaited<ReturnType<typeof send>> | undefined;
    const lines = await captureLogLines(async () => {
      ran = await send(app, { query: NOT_SAFELISTED }, partner);
      await send(app, { query: documentText(MeDocument) }, partner);
    });
    expect(ran).toEqual({ status: 200, body: { data: { shippingMethods: [] } } });
    const notListed = lines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'partner.operation_not_listed');
    expect(notListed).toEqual([
      expect.objectContaining({ level: 'warn', partner: 'Onboarding Partner', mode: 'audit-partners', outcome: 'ran', operationName: null }),
    ]);
  });
});
