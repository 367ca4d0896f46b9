import { createHash } from 'node:crypto';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
// Apollo's own default APQ cache class (a dependency of @apollo/server).
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  visit,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type ParseOptions,
} from 'graphql';
import type { Config } from '../config';
import { projectRoot } from '../project-root';
import type { GraphQLContext } from '../schema/context';
import { logger } from '../services/shared/logger';
import { documentParseOptions } from './request-limits';

/**
 * PERSISTED_QUERIES :
 * - off: a request carrying a persisted-query hash answers PERSISTED_QUERY_NOT_SUPPORTED.
 * - allow (default): Apollo's automatic persisted queries (APQ), and every document of
 *   the client package is known by its hash without registering it first.
 * - only-for-partners: as allow, and a partner (a request with a valid X-Api-Key,
 *   partner-keys.ts) may only run the documents of the client package's manifest:
 *   anything else is refused with HTTP 400 PERSISTED_QUERY_NOT_ALLOWED, and logged.
 * - audit-partners: as only-for-partners, but such a request runs and is logged, to
 *   see what a partner being onboarded would be refused.
 *
 * The safelist IS the client package's manifest, client/src/generated/persisted-documents.json,
 * which GraphQL Code Generator's client preset writes from client/operations: the
 * server loads that very file, so its hashes are the ones the client sends.
 */
export const SAFELIST_MANIFEST_FILE = join('client', 'src', 'generated', 'persisted-documents.json');
export const PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED';

/** The client preset's manifest: `sha256:<hex>` -> the document's text. */
export type PersistedDocumentsManifest = Record<string, string>;

export const operationHash = (body: string): string => createHash('sha256').update(body).digest('hex');

const isFragment = (definition: DefinitionNode): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION;

/**
 * One operation with the fragments it uses (transitively), printed the way the
 * client preset prints a manifest entry (@graphql-tools/documents: definitions,
 * fields and arguments sorted, white space reduced; a mutation's top-level fields
 * keep their order, which is the order they run in). Two texts of the same
 * operation that differ only in layout, comments, field order or unused
 * fragments have the same canonical form, and its sha256 is the manifest's hash.
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
  const definitions = [operation, ...[...used].map((name) => fragments.get(name)!)];
  return printExecutableGraphQLDocument({ kind: Kind.DOCUMENT, definitions });
}

export interface Safelist {
  /** The manifest file's bytes, exactly as the server read them. */
  readonly fileBytes: Buffer;
  /** APQ hash (hex sha256) -> document text. */
  readonly byHash: ReadonlyMap<string, string>;
  /** The operation names of the documents. */
  readonly operationNames: ReadonlySet<string>;
}

export const safelistFile = (root: string = projectRoot()): string => join(root, SAFELIST_MANIFEST_FILE);

/**
 * The safelist from the client package's manifest. Refuses a manifest whose
 * hashes do not match their documents, or with a document the parse limits
 * (MAX_QUERY_TOKENS) would refuse when a partner sends it: better a start-up
 * error than a partner refused at run time.
 */
export function loadSafelist(file: string = safelistFile(), parseOptions: ParseOptions = {}): Safelist {
  if (!existsSync(file)) throw new Error(`The partner safelist ${file} is missing (generate it: npm run codegen)`);
  const fileBytes = readFileSync(file);
  const manifest = JSON.parse(fileBytes.toString('utf8')) as PersistedDocumentsManifest;
  const byHash = new Map<string, string>();
  const operationNames = new Set<string>();
  for (const [key, body] of Object.entries(manifest)) {
    const hash = key.startsWith('sha256:') ? key.slice('sha256:'.length) : '';
    if (typeof body !== 'string' || operationHash(body) !== hash) throw new Error(`${file}: ${key} is not the sha256 of its document`);
    const document = parseManifestEntry(file, key, body, parseOptions);
    const operation = getOperationAST(document);
    if (!operation?.name) throw new Error(`${file}: ${key} is not one named operation`);
    if (canonicalOperation(document, operation) !== body) throw new Error(`${file}: ${key} is not in canonical form`);
    byHash.set(hash, body);
    operationNames.add(operation.name.value);
  }
  return { fileBytes, byHash, operationNames };
}

function parseManifestEntry(file: string, key: string, body: string, parseOptions: ParseOptions): DocumentNode {
  try {
    return parse(body, parseOptions);
  } catch (error) {
    throw new Error(`${file}: ${key} cannot be parsed within the document limits (MAX_QUERY_TOKENS): ${(error as Error).message}`, { cause: error });
  }
}

/**
 * APQ cache that answers safelisted ids from the manifest (so they never need
 * registering and are never evicted) and keeps registrations in Apollo's LRU.
 */
class SafelistFirstCache implements KeyValueCache<string> {
  private readonly registered = new InMemoryLRUCache<string>();

  constructor(private readonly safelist: Safelist) {}

  async get(key: string): Promise<string | undefined> {
    // Apollo prefixes APQ keys ("apq:<sha256>"); the id is the part after the last colon.
    return this.safelist.byHash.get(key.slice(key.lastIndexOf(':') + 1)) ?? this.registered.get(key);
  }

  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    return this.registered.set(key, value, options);
  }

  delete(key: string): Promise<boolean | void> {
    return this.registered.delete(key);
  }
}

/**
 * Checks, before execution (and before APQ registers a new document), that a
 * partner's operation is one of the manifest's; refuses it with HTTP 400, or in
 * audit mode lets it run. Either way it is logged, with the partner's name.
 */
function partnerSafelistPlugin(safelist: Safelist, mode: 'only-for-partners' | 'audit-partners'): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.partner) return;
      return {
        async didResolveOperation({ document, operation, operationName }) {
          if (operation && safelist.byHash.has(operationHash(canonicalOperation(document, operation)))) return;
          const fields = { operationName: operation?.name?.value ?? operationName ?? null, mode };
          if (mode === 'audit-partners') {
            logger.warn('partner.operation_not_listed', { ...fields, outcome: 'ran' });
            return;
          }
          logger.warn('partner.operation_not_listed', { ...fields, outcome: 'refused' });
          throw new GraphQLError('Partners may only run the persisted documents of the client package (its manifest is the safelist).', {
            extensions: { code: PERSISTED_QUERY_NOT_ALLOWED, http: { status: 400 } },
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
  config: Pick<Config, 'persistedQueries' | 'maxQueryTokens'>,
  safelist: () => Safelist = () => loadSafelist(safelistFile(), documentParseOptions({ maxTokens: config.maxQueryTokens })),
): PersistedQuerySettings {
  switch (config.persistedQueries) {
    case 'off':
      return { persistedQueries: false, plugins: [] };
    case 'allow':
      return { persistedQueries: { cache: new SafelistFirstCache(safelist()) }, plugins: [] };
    case 'only-for-partners':
    case 'audit-partners': {
      const loaded = safelist();
      return { persistedQueries: { cache: new SafelistFirstCache(loaded) }, plugins: [partnerSafelistPlugin(loaded, config.persistedQueries)] };
    }
  }
}
