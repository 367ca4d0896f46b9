import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
// Apollo's own default APQ cache class (a dependency of @apollo/server).
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import {
  concatAST,
  GraphQLError,
  Kind,
  parse,
  print,
  visit,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { Config } from '../config';
import { projectRoot } from '../project-root';
import type { GraphQLContext } from '../schema/context';

/**
 * PERSISTED_QUERIES (DESIGN.md):
 * - off: a request carrying a persisted-query hash answers PERSISTED_QUERY_NOT_SUPPORTED.
 * - allow (default): Apollo's automatic persisted queries (APQ) with its in-memory cache.
 * - only-for-partners: APQ as in allow for everyone, and a partner (a request with a
 *   valid X-Api-Key) may only run the operations of the safelist, persisted-operations.json
 *   at the project root (generated from test/operations by tools/persisted-operations.ts).
 *   A partner may send an operation's id (its sha256) alone, without registering it first.
 */
export const PERSISTED_OPERATIONS_FILE = 'persisted-operations.json';
export const PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED';

/** Apollo's persisted query manifest format, which Apollo's client tooling reads as well. */
export interface PersistedOperationManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PersistedOperation[];
}

export interface PersistedOperation {
  /** sha256 hex of body: the APQ hash a client sends. */
  id: string;
  name: string;
  type: OperationDefinitionNode['operation'];
  body: string;
}

export const operationHash = (body: string): string => createHash('sha256').update(body).digest('hex');

const isFragment = (definition: DefinitionNode): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION;

/**
 * One operation with the fragments it uses (transitively, sorted by name), printed.
 * Two texts of the same operation that differ only in layout, comments or the
 * order of fragments have the same canonical form.
 */
export function canonicalOperation(document: DocumentNode, operation: OperationDefinitionNode): string {
  const fragments = new Map(document.definitions.filter(isFragment).map((fragment) => [fragment.name.value, fragment]));
  const used = new Set<string>();
  const pending: ASTNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.add(fragment.name.value);
          pending.push(fragment);
        }
      },
    });
  }
  const definitions = [operation, ...[...used].sort().map((name) => fragments.get(name)!)];
  return print({ kind: Kind.DOCUMENT, definitions });
}

/** The manifest of every named operation in the given GraphQL sources (fragments may live in any of them). */
export function buildManifest(sources: readonly string[]): PersistedOperationManifest {
  const document = concatAST(sources.map((source) => parse(source)));
  const operations = new Map<string, PersistedOperation>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const name = definition.name?.value;
    if (!name) throw new Error('Every persisted operation needs a name');
    if (operations.has(name)) throw new Error(`Two persisted operations are named ${name}`);
    const body = canonicalOperation(document, definition);
    operations.set(name, { id: operationHash(body), name, type: definition.operation, body });
  }
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [...operations.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The safelist: id -> canonical body. Refuses a manifest whose ids do not match their bodies. */
export function loadSafelist(file: string): ReadonlyMap<string, string> {
  if (!existsSync(file)) {
    throw new Error(`PERSISTED_QUERIES=only-for-partners needs ${file} (generate it: npm run build && node dist/tools/persisted-operations.js)`);
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as PersistedOperationManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || !Array.isArray(manifest.operations)) {
    throw new Error(`${file} is not an apollo-persisted-query-manifest`);
  }
  const safelist = new Map<string, string>();
  for (const operation of manifest.operations) {
    if (operationHash(operation.body) !== operation.id) throw new Error(`${file}: the id of ${operation.name} does not match its body`);
    safelist.set(operation.id, operation.body);
  }
  return safelist;
}

/**
 * APQ cache that answers safelisted ids from the manifest (so they never need
 * registering and are never evicted) and keeps registrations in Apollo's LRU.
 */
class SafelistFirstCache implements KeyValueCache<string> {
  private readonly registered = new InMemoryLRUCache<string>();

  constructor(private readonly safelist: ReadonlyMap<string, string>) {}

  async get(key: string): Promise<string | undefined> {
    // Apollo prefixes APQ keys ("apq:<sha256>"); the id is the part after the last colon.
    return this.safelist.get(key.slice(key.lastIndexOf(':') + 1)) ?? this.registered.get(key);
  }

  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    return this.registered.set(key, value, options);
  }

  delete(key: string): Promise<boolean | void> {
    return this.registered.delete(key);
  }
}

/** Refuses, before execution, a partner operation whose canonical form is not safelisted. */
function partnerSafelistPlugin(safelist: ReadonlyMap<string, string>): ApolloServerPlugin<GraphQLContext> {
  const allowed = new Set(safelist.values());
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.partner) return;
      return {
        // Runs after parsing and validation, before execution and before APQ registration.
        async didResolveOperation({ document, operation }) {
          if (operation && allowed.has(canonicalOperation(document, operation))) return;
          throw new GraphQLError('Partners may only run the persisted operations of the safelist.', {
            extensions: { code: PERSISTED_QUERY_NOT_ALLOWED },
          });
        },
      };
    },
  };
}

export interface PersistedQuerySettings {
  persistedQueries: false | PersistedQueryOptions;
  plugins: ApolloServerPlugin<GraphQLContext>[];
}

/** ApolloServer options for the configured mode (spread into startGraphQLServer). */
export function persistedQuerySettings(
  config: Pick<Config, 'persistedQueries'>,
  manifestFile: string = join(projectRoot(), PERSISTED_OPERATIONS_FILE),
): PersistedQuerySettings {
  switch (config.persistedQueries) {
    case 'off':
      return { persistedQueries: false, plugins: [] };
    case 'allow':
      return { persistedQueries: {}, plugins: [] };
    case 'only-for-partners': {
      const safelist = loadSafelist(manifestFile);
      return { persistedQueries: { cache: new SafelistFirstCache(safelist) }, plugins: [partnerSafelistPlugin(safelist)] };
    }
  }
}
