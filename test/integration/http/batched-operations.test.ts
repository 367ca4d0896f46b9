import { startTestApp, type TestApp } from '../../support/test-app';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { __typename ... on ErrorResult { errorCode } } }`;

/**
 * Apollo runs the operations of a batch at once, each on a shallow copy of the
 * request's context: they must not share one database session, or two writes
 * racing on one unit of work can wedge the request (and the pool behind it).
 */
describe('batched operations', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('when a batch signs up the same email three times at once, then one succeeds, the others hear EMAIL_TAKEN, and the server answers the next request', async () => {
    const input = { email: `batch-${Date.now()}@example.com`, password: 'a-long-enough-password' };
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 3 }, () => ({ query: SIGN_UP, variables: { input } }))),
    });
    const answers = (await response.json()) as { data?: { signUp: { __typename: string; errorCode?: string } } }[];

    const outcomes = answers.map((answer) => answer.data?.signUp.errorCode ?? answer.data?.signUp.__typename);
    expect(outcomes.filter((outcome) => outcome === 'AuthPayload')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'EMAIL_TAKEN')).toHaveLength(2);
    expect((await app.gql('{ me { id } }')).data).toEqual({ me: null });
  });
});
