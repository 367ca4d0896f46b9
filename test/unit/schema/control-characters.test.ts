import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNullableType, GraphQLError, isInputObjectType, isListType, parse, type GraphQLInputType } from 'graphql';
import { controlCharacterGuard, hasForbiddenControlCharacter, MAX_VARIABLE_DEPTH } from '../../../src/schema/control-characters';

/** Levels of JSON nesting a value of this input type can have: a list or an input object is one level. */
function nestingOf(type: GraphQLInputType, seen: ReadonlySet<string> = new Set()): number {
  const inner = getNullableType(type);
  if (isListType(inner)) return 1 + nestingOf(inner.ofType, seen);
  if (!isInputObjectType(inner)) return 0;
  // A recursive input would nest without end: the guard's limit would then refuse real values.
  if (seen.has(inner.name)) return Infinity;
  return 1 + Math.max(0, ...Object.values(inner.getFields()).map((field) => nestingOf(field.type, new Set(seen).add(inner.name))));
}

/** Runs the guard's check as Apollo would after parsing; answers the refused field, or 'accepted'. */
async function check(query: string, variables: Record<string, unknown> = {}): Promise<string | null> {
  const listener = await controlCharacterGuard.requestDidStart!({} as never);
  try {
    await listener!.didResolveOperation!({ document: parse(query), request: { variables } } as never);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED', http: { status: 400 } });
    return ((error as GraphQLError).extensions.field as string | undefined) ?? null;
  }
}

describe('control characters in string inputs', () => {
  it('when any C0 character is in single-line text, then it is forbidden; printable text and non-ASCII are fine', () => {
    for (let code = 0; code < 0x20; code++) expect(hasForbiddenControlCharacter(`a${String.fromCharCode(code)}b`, 'email')).toBe(true);
    expect(hasForbiddenControlCharacter("Zoë O'Brien – 東京 😀", 'name')).toBe(false);
  });

  it('when free text (reason, description) holds tabs and line breaks, then they are allowed, other C0 characters are not', () => {
    expect(hasForbiddenControlCharacter('line one\r\nline two\tend', 'reason')).toBe(false);
    expect(hasForbiddenControlCharacter('line one\nline two', 'description')).toBe(false);
    expect(hasForbiddenControlCharacter('bell\u0007', 'reason')).toBe(true);
    expect(hasForbiddenControlCharacter('nul\u0000', 'description')).toBe(true);
  });

  it('when a variable is passed straight to a free-text argument, then the argument decides, not the variable name', async () => {
    const cancel = 'mutation($why: String!, $id: ID!) { cancelOrder(input: { orderId: $id, reason: $why }) { __typename } }';
    expect(await check(cancel, { id: 'o-1', why: 'changed\nmy mind' })).toBe('accepted');
    expect(await check(cancel, { id: 'o-1\n', why: 'changed my mind' })).toBe('orderId');
    expect(await check(cancel, { id: 'o-1', why: 'nul\u0000' })).toBe('reason');
  });

  it('when nested input objects and lists come in variables, then the innermost field name is reported', async () => {
    const query = 'mutation($input: SetShippingAddressInput!) { setShippingAddress(input: $input) { __typename } }';
    expect(await check(query, { input: { cartId: 'c', address: { name: 'Ada', line1: 'Main St 1\u001b[2J', city: 'Berlin' } } })).toBe('line1');
    expect(await check('mutation($codes: [String!]!) { x(codes: $codes) }', { codes: ['OK', 'BAD\u0001'] })).toBe('codes');
    expect(await check(query, { input: { cartId: 'c', address: { name: 'Ada Lovelace', line1: 'Main St 1', city: 'Berlin' } } })).toBe('accepted');
  });

  it('when a variable nests deeper than any input could, then it is refused by name, whether or not the operation declares it', async () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(await check('{ me { id } }', { unused: deep })).toBe('unused');
    expect(await check('mutation($input: CreateCartInput!) { createCart(input: $input) { id } }', { input: { currency: 'EUR', email: deep } })).toBe('input');

    let justDeepEnough: unknown = 'x';
    for (let level = 0; level < MAX_VARIABLE_DEPTH; level++) justDeepEnough = [justDeepEnough];
    expect(await check('{ me { id } }', { unused: justDeepEnough })).toBe('accepted');
    expect(await check('{ me { id } }', { unused: [justDeepEnough] })).toBe('unused');
  });

  it("when the schema's inputs are measured, then the deepest is well below the variable depth limit", () => {
    const schema = buildSchema(readFileSync(join(process.cwd(), 'src', 'schema', 'schema.graphql'), 'utf8'));
    const argumentTypes = Object.values(schema.getTypeMap()).flatMap((type) =>
      'getFields' in type && !isInputObjectType(type)
        ? Object.values(type.getFields()).flatMap((field) => ('args' in field ? field.args.map((arg) => arg.type) : []))
        : [],
    );
    const deepest = Math.max(...argumentTypes.map((type) => nestingOf(type)));
    expect(deepest).toBeGreaterThanOrEqual(3);
    expect(deepest * 2).toBeLessThanOrEqual(MAX_VARIABLE_DEPTH);
  });

  it('when a literal is inline, then the same rule applies, free text included', async () => {
    expect(await check('mutation { refundOrder(input: { orderId: "o", reason: "a\\nb", idempotencyKey: "k" }) { __typename } }')).toBe('accepted');
    expect(await check('mutation { refundOrder(input: { orderId: "o", reason: "a", idempotencyKey: "k\\t" }) { __typename } }')).toBe('idempotencyKey');
    expect(await check('query { cart(id: "\\u0000") { id } }')).toBe('id');
  });
});
