import { captureLogLines } from '../../support/log-capture';
import { postGraphQL, type HttpAnswer } from '../../support/http-request';
import { startTestApp, type TestApp } from '../../support/test-app';

/** A variable deep in a selection: the page size of the signed-in customer's orders. */
const ORDERS_PAGE = (argument: string) => `{ me { orders(first: ${argument}) { nodes { id number } } } }`;

/** A JSON body whose variable `name` holds a value nested `levels` deep (arrays), written as text: JSON.stringify would recurse. */
const deeplyNestedVariable = (query: string, name: string, levels: number): string =>
  `{"query":${JSON.stringify(query)},"variables":{"${name}":${'['.repeat(levels)}${']'.repeat(levels)}}}`;

/**
 * Malformed requests, each a body for POST /graphql: a document that does not
 * parse or validate, an operation it does not hold, or variables that do not
 * fit. Every one is the client's mistake: 400 and VALIDATION_FAILED.
 */
const MALFORMED: [string, unknown][] = [
  ['a syntax error', { query: '{ me { id }' }],
  ['text that is not GraphQL', { query: 'SELECT * FROM customers' }],
  ['an unknown field deep in the selection', { query: '{ products(first: 1) { nodes { variants { product { seller { iban } } } } } }' }],
  ['an unknown argument', { query: '{ products(first: 1, sort: NAME) { nodes { id } } }' }],
  ['a missing required argument', { query: '{ product { id } }' }],
  ['a declared variable never used', { query: 'query History($first: Int) { me { id } }' }],
  ['a variable used deep in the selection but never declared', { query: `query History ${ORDERS_PAGE('$first')}` }],
  [
    'a variable declared with the wrong type for its nested position',
    { query: `query History($first: String) ${ORDERS_PAGE('$first')}`, variables: { first: '5' } },
  ],
  ['a variable value of the wrong type', { query: `query History($first: Int) ${ORDERS_PAGE('$first')}`, variables: { first: 'ten' } }],
  ['a required variable left out', { query: 'query One($id: ID!) { product(id: $id) { id } }', variables: {} }],
  ['an undeclared variable nested 100,000 levels deep', deeplyNestedVariable('{ me { id } }', 'unused', 100_000)],
  [
    'a declared variable nested 100,000 levels deep',
    deeplyNestedVariable('mutation Cart($input: CreateCartInput!) { createCart(input: $input) { id } }', 'input', 100_000),
  ],
  ['a list literal nested 2,400 levels deep', { query: `{ products(first: ${'['.repeat(2_400)}${']'.repeat(2_400)}) { nodes { id } } }` }],
  ['a spread of a fragment that does not exist', { query: '{ ...Missing }' }],
  ['fragments that spread each other', { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }],
  ['an operation name the document does not hold', { query: 'query A { me { id } }', operationName: 'B' }],
  ['two operations and no operation name', { query: 'query A { me { id } } query B { me { id } }' }],
  ['more tokens than MAX_QUERY_TOKENS', { query: `{ me { ${'id '.repeat(6_000)}} }` }],
];

describe('a malformed document gets 400 and VALIDATION_FAILED, never a 500', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it.each(MALFORMED)('when the request holds %s, then 400 with VALIDATION_FAILED, no stack trace, and nothing logged at error level', async (_case, body) => {
    let answer: HttpAnswer | undefined;
    const lines = await captureLogLines(async () => {
      answer = await postGraphQL(app, body);
    });

    expect(answer!.status).toBe(400);
    expect(answer!.body.errors.length).toBeGreaterThan(0);
    for (const error of answer!.body.errors) expect(error.extensions).toMatchObject({ errorCode: 'VALIDATION_FAILED' });
    expect(JSON.stringify(answer!.body)).not.toMatch(/stacktrace|RangeError|\bat \S+ \(/);
    const levels = lines.map((line) => (JSON.parse(line) as { level: string }).level);
    expect(levels).not.toContain('error');
    expect(levels).not.toContain('fatal');
  });

  it('when selections nest a thousand levels deep, then the depth limit refuses them with 400, and nothing is logged at error level', async () => {
    const deep = `{ products(first: 1) { nodes { ${'variants { product { '.repeat(500)}id${' } }'.repeat(500)} } } }`;
    let answer: HttpAnswer | undefined;
    const lines = await captureLogLines(async () => {
      answer = await postGraphQL(app, { query: deep });
    });

    expect(answer!.status).toBe(400);
    expect(answer!.body.errors).toEqual([
      expect.objectContaining({
        message: 'The query nests more than 100 levels deep; at most 12 levels of fields are allowed.',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 12, actual: 101 },
      }),
    ]);
    expect(lines.map((line) => (JSON.parse(line) as { level: string }).level)).not.toContain('error');
  });
});
