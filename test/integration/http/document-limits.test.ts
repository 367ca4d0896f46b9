import { Lexer, Source, TokenKind } from 'graphql';
import { postGraphQL } from '../../support/http-request';
import { startTestApp, type TestApp } from '../../support/test-app';

/** The lexical tokens of a document, counted the way the parser counts them (the end of the document is not one). */
function tokensIn(document: string): number {
  const lexer = new Lexer(new Source(document));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens++;
  return tokens;
}

/** `{ products(first: 1) { nodes { id id … } } }`: 13 tokens around the ids. */
const repeatedIds = (ids: number) => `{ products(first: 1) { nodes { ${'id '.repeat(ids)}} } }`;

/**
 * A valid document of exactly `tokens` tokens: aliased pages (one per 100
 * tokens, at most the 50 aliases allowed) sharing the ids, 13 tokens around
 * each page's ids and 2 around them all. Thousands of ids under one field
 * would be refused by graphql-js's own validation budget (OverlappingFieldsCanBeMerged).
 */
function validDocumentOf(tokens: number): string {
  const pages = Math.min(50, Math.floor(tokens / 100));
  const ids = tokens - 2 - pages * 13;
  return `{ ${Array.from({ length: pages }, (_, i) => `p${i}: products(first: 1) { nodes { ${'id '.repeat(Math.floor(ids / pages) + (i < ids % pages ? 1 : 0))}} }`).join(' ')} }`;
}

/** The document seen in the attack: 90,000 ids, 270 KB. */
const ATTACK = repeatedIds(90_000);

const tokenRefusal = (maximum: number) => ({
  message: `The document holds more than ${maximum} tokens; at most ${maximum} are read. Send a smaller document.`,
  locations: [expect.objectContaining({ line: 1 })],
  extensions: { code: 'GRAPHQL_PARSE_FAILED', errorCode: 'VALIDATION_FAILED', limit: 'tokens', maximum },
});

describe('documents are bounded before they are parsed (MAX_QUERY_TOKENS)', () => {
  let app: TestApp;
  // Every token the parser reads is one advance of graphql-js's lexer: the spy counts what was parsed.
  let lexed: jest.SpiedFunction<Lexer['advance']>;
  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(() => {
    lexed = jest.spyOn(Lexer.prototype, 'advance');
  });
  afterEach(() => lexed.mockRestore());
  afterAll(() => app.close());

  it('when a 270 KB document of 90,000 tokens arrives, then it is refused with 400 VALIDATION_FAILED and the parser reads no further than the limit', async () => {
    expect(ATTACK.length).toBeGreaterThan(270_000);
    expect(tokensIn(ATTACK)).toBe(90_013);
    lexed.mockClear();

    const refused = await postGraphQL(app, { query: ATTACK });

    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ errors: [tokenRefusal(5_000)] });
    // One parse, stopped at token 5,001 of 90,013.
    expect(lexed.mock.calls.length).toBeGreaterThan(5_000);
    expect(lexed.mock.calls.length).toBeLessThanOrEqual(5_002);
  });

  it('when a document holds exactly the limit of 5,000 tokens, then it runs, and one token more is refused', async () => {
    const atLimit = validDocumentOf(5_000);
    expect(tokensIn(atLimit)).toBe(5_000);

    const runs = await postGraphQL(app, { query: atLimit });
    expect(runs.status).toBe(200);
    expect(runs.body).toEqual({ data: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { nodes: [] }])) });

    const overLimit = await postGraphQL(app, { query: validDocumentOf(5_001) });
    expect(overLimit.status).toBe(400);
    expect(overLimit.body.errors).toEqual([tokenRefusal(5_000)]);
  });

  it('when a batch holds oversized documents, then each is refused and neither the cost meter nor Apollo reads past the limit', async () => {
    lexed.mockClear();

    const batch = await postGraphQL(app, [{ query: ATTACK }, { query: ATTACK }, { query: '{ me { id } }' }]);

    expect(batch.status).toBe(400);
    expect(batch.body).toEqual([{ errors: [tokenRefusal(5_000)] }, { errors: [tokenRefusal(5_000)] }, { data: { me: null } }]);
    // Each oversized document parsed twice (the request's cost meter, then Apollo), each time up to the limit, plus the small one.
    expect(lexed.mock.calls.length).toBeLessThanOrEqual(4 * 5_002 + 2 * tokensIn('{ me { id } }') + 2);
  });

  it('when a document holds more comments than the limit, then it is refused the same way', async () => {
    const commented = `{ me { id } }${'\n#'.repeat(5_001)}`;
    const refused = await postGraphQL(app, { query: commented });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        message: 'The document holds more than 5000 comments; at most 5000 are read. Send a smaller document.',
        locations: [expect.objectContaining({ line: expect.any(Number) })],
        extensions: { code: 'GRAPHQL_PARSE_FAILED', errorCode: 'VALIDATION_FAILED', limit: 'comments', maximum: 5_000 },
      },
    ]);
  });
});

describe('MAX_QUERY_TOKENS is configurable', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ MAX_QUERY_TOKENS: '300' });
  });
  afterAll(() => app.close());

  it('when it is 300, then a document of 300 tokens runs and one of 301 is refused with that limit', async () => {
    expect(tokensIn(validDocumentOf(300))).toBe(300);
    expect((await postGraphQL(app, { query: validDocumentOf(300) })).status).toBe(200);
    const refused = await postGraphQL(app, { query: validDocumentOf(301) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([tokenRefusal(300)]);
  });
});
