/** No request of the bench may hang it: a server that stops answering fails the request instead. */
const REQUEST_TIMEOUT_MS = 60_000;

import { createTillgateClient, type TillgateClient, type TillgateDocument, type VariablesOf } from '../../client/src';

const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

/**
 * The benchmark's GraphQL-over-HTTP client: buyers send the client package's
 * documents, as a storefront does (`run`); the admin's catalog set-up sends
 * its own texts (`request`), admin operations not being in the client package.
 * One POST per operation, errors thrown.
 */
export class BenchClient {
  private readonly storefront: TillgateClient;

  constructor(private readonly url: string, private readonly token: string | null = null) {
    this.storefront = createTillgateClient({ url: `${url}/graphql`, token: token ?? undefined, fetch: timedFetch });
  }

  run<TResult, TVariables>(document: TillgateDocument<TResult, TVariables>, ...variables: VariablesOf<TVariables>): Promise<TResult> {
    return this.storefront.request(document, ...variables);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the data is shaped by each call's query; untyped unless the caller names it
  async request<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  }

  withToken(token: string): BenchClient {
    return new BenchClient(this.url, token);
  }
}

/** Reads one counter from the Prometheus text at /metrics (sum over its label sets). */
export async function readCounter(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name + ' ') || line.startsWith(name + '{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
