import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import type { GraphQLResponse, TestApp } from './test-app';

const printed = new WeakMap<object, string>();

/**
 * The exact text a frontend sends for a generated document: a client package
 * document (a string) as it is, a test document node printed.
 */
export function documentText(document: DocumentNode | DocumentTypeDecoration<unknown, never>): string {
  if (!('kind' in document)) return String(document);
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export interface TypedClient {
  /** The whole response, for tests that look at errors. */
  request<TResult, TVariables>(document: DocumentTypeDecoration<TResult, TVariables>, variables: TVariables): Promise<GraphQLResponse<TResult>>;
  /** The data of a response that must have no errors (throws with the errors otherwise). */
  data<TResult, TVariables>(document: DocumentTypeDecoration<TResult, TVariables>, variables: TVariables): Promise<TResult>;
}

/** A frontend's view of the API: generated documents over real HTTP, optionally signed in. */
export function typedClient(app: TestApp, options: { token?: string; headers?: Record<string, string> } = {}): TypedClient {
  const request: TypedClient['request'] = (document, variables) => app.gql(documentText(document), variables as Record<string, unknown>, options);
  return {
    request,
    async data(document, variables) {
      const response = await request(document, variables);
      if (response.errors?.length || !response.data) {
        throw new Error(`GraphQL errors: ${JSON.stringify(response.errors ?? response)}`);
      }
      return response.data;
    },
  };
}
