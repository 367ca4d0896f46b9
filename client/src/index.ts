/**
 * @tillgate/client: the storefront and partner operations of client/operations
 * as typed documents (GraphQL Code Generator's client preset), their
 * persisted-documents manifest (src/generated/persisted-documents.json, which is
 * also the server's partner safelist) and a small fetch client.
 */
export * from './generated/graphql';
export * from './client';
export * from './catalog-documents';
