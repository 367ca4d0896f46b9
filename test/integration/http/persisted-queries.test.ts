import { operationHash } from '../../../src/http/persisted-queries';
import { MeDocument, ShippingMethodsDocument } from '../../generated/graphql';
import { postGraphQL } from '../../support/http-request';
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

describe('PERSISTED_QUERIES=only-for-partners', () => {
  const PARTNER = { 'x-api-key': 'partner-key-one' };
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PERSISTED_QUERIES: 'only-for-partners', PARTNER_API_KEYS: 'partner-key-one, partner-key-two' });
  });
  afterAll(() => app.close());

  it('when a partner sends a safelisted operation as text, then it runs', async () => {
    const response = await send(app, { query: documentText(ShippingMethodsDocument), variables: { currency: 'EUR' } }, PARTNER);
    expect(response.body).toEqual({ data: { shippingMethods: [] } });
  });

  it('when a partner sends only the id of a safelisted operation, then it runs without registering it first', async () => {
    const id = operationHash(documentText(MeDocument));
    expect((await send(app, { hash: id }, PARTNER)).body).toEqual({ data: { me: null } });
  });

  it('when a partner sends a safelisted operation laid out differently, then it is the same operation and runs', async () => {
    const relaid = `# from a partner's own file\n${documentText(MeDocument).replace(/\n\s*/g, ' ')}`;
    expect(relaid).not.toBe(documentText(MeDocument));
    expect((await send(app, { query: relaid }, PARTNER)).body).toEqual({ data: { me: null } });
  });

  it('when a partner sends an operation that is not safelisted, then PERSISTED_QUERY_NOT_ALLOWED, while a non-partner runs it', async () => {
    const refused = await send(app, { query: NOT_SAFELISTED }, PARTNER);
    expect(codes(refused.body)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(refused.body.data).toBeUndefined();
    expect((await send(app, { query: NOT_SAFELISTED })).body).toEqual({ data: { shippingMethods: [] } });
    expect((await send(app, { query: NOT_SAFELISTED }, { 'x-api-key': 'not-a-partner-key' })).body).toEqual({ data: { shippingMethods: [] } });
  });

  it('when a partner tries to register a new operation, or to run one a non-partner registered, then it is refused', async () => {
    const query = `{ me { id email } }  # ${Date.now()}`;
    const hash = operationHash(query);
    expect(codes((await send(app, { hash, query }, { 'x-api-key': 'partner-key-two' })).body)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(codes((await send(app, { hash }, PARTNER)).body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    expect((await send(app, { hash, query })).body).toEqual({ data: { me: null } });
    expect(codes((await send(app, { hash }, PARTNER)).body)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
  });
});
