/** No request of the bench may hang it: a server that stops answering fails the request instead. */
const REQUEST_TIMEOUT_MS = 60_000;

import { Agent, request as httpRequest } from 'node:http';
import { unchanged, type DocumentFitter } from './fit-documents';
import { createTillgateClient, type TillgateClient, type TillgateDocument, type VariablesOf } from '../../client/src';

/**
 * The load generator shares the machine's two cores with the gateway and
 * PostgreSQL, so every millisecond it spends is one the server under test
 * cannot. Node's global fetch builds a WHATWG Response and an abort timer per
 * call; a plain keep-alive `http.request` does neither, and costs a fraction
 * of its CPU. It answers just the part of a Response the client reads: the
 * status and the body text.
 */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 256 });

export const lightFetch = ((input: string | URL, init: RequestInit = {}) =>
  new Promise((resolve, reject) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    const headers: Record<string, string | number> = { ...(init.headers as Record<string, string> | undefined) };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    const outgoing = httpRequest(input, { method: init.method ?? 'GET', headers, agent: keepAlive, timeout: REQUEST_TIMEOUT_MS }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = incoming.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: async () => text, json: async () => JSON.parse(text) });
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  })) as unknown as typeof fetch;

/**
 * The benchmark's GraphQL-over-HTTP client: buyers send the client package's
 * documents, as a storefront does (`run`); the admin's catalog set-up sends
 * its own texts (`request`), admin operations not being in the client package.
 * One POST per operation, errors thrown.
 */
export class BenchClient {
  private readonly storefront: TillgateClient;

  constructor(
    private readonly url: string,
    private readonly token: string | null = null,
    private readonly fit: DocumentFitter = unchanged,
  ) {
    this.storefront = createTillgateClient({ url: `${url}/graphql`, token: token ?? undefined, fetch: lightFetch });
  }

  run<TResult, TVariables>(document: TillgateDocument<TResult, TVariables>, ...variables: VariablesOf<TVariables>): Promise<TResult> {
    return this.storefront.request(this.fit(document), ...variables);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the data is shaped by each call's query; untyped unless the caller names it
  async request<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await lightFetch(`${this.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  }

  withToken(token: string): BenchClient {
    return new BenchClient(this.url, token, this.fit);
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
