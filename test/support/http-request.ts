import type { TestApp } from './test-app';

export interface HttpAnswer {
  status: number;
  /** Parsed JSON, or the text when the answer is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the server sent; tests about raw HTTP walk it untyped
  body: any;
}

/** One raw HTTP request to the test app, for tests that look at status codes and malformed requests. */
export async function httpRequest(app: Pick<TestApp, 'url'>, path: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(`${app.url}${path}`, init);
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** POST /graphql with a JSON body: an object is serialized, a string is sent as it is (malformed on purpose). */
export function postGraphQL(app: Pick<TestApp, 'url'>, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return httpRequest(app, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
