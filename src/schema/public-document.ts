import {
  getDirectiveValues,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { cacheControlDirective, PUBLIC_CATALOG_ROOTS } from './cache-hints';

/** A schema element's own `@cacheControl`: none, the inheriting hint the catalog's types carry, or any other (not public). */
type Hint = 'none' | 'inherits' | 'other';

function hintOf(element: { readonly astNode?: { readonly directives?: readonly ConstDirectiveNode[] } | null }): Hint {
  const values = element.astNode ? getDirectiveValues(cacheControlDirective, element.astNode) : undefined;
  if (!values) return 'none';
  return values.inheritMaxAge === true && values.maxAge === undefined && values.scope === undefined ? 'inherits' : 'other';
}

/**
 * Walks one document against the schema's types (cache-hints.ts says what is
 * public). It reads the document only: @skip and @include are not evaluated,
 * so a field a variable might leave out still counts, and a document that could
 * select something private is refused whatever its variables.
 */
class PublicDocumentWalk {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  /** Fragments being walked (a cycle is refused; validation refuses it too, but this runs on any document it is given). */
  private readonly walking = new Set<string>();
  /** Whether a catalog root was met: a document of `__typename` alone asks nothing of the catalog. */
  selectsCatalog = false;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
  ) {
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
  }

  /** Every field below `type` public: catalog roots only on Query, and only types that inherit their hint below them. */
  selectionIsPublic(type: GraphQLCompositeType, selectionSet: SelectionSetNode): boolean {
    const atRoot = type === this.schema.getQueryType();
    if (!atRoot && hintOf(type) !== 'inherits') return false;
    return selectionSet.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === '__typename' || this.fieldIsPublic(type, selection.name.value, atRoot, selection.selectionSet);
        case Kind.INLINE_FRAGMENT:
          return this.fragmentIsPublic(selection.typeCondition?.name.value ?? type.name, selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = this.fragments.get(selection.name.value);
          if (!fragment || this.walking.has(fragment.name.value)) return false;
          this.walking.add(fragment.name.value);
          const isPublic = this.fragmentIsPublic(fragment.typeCondition.name.value, fragment.selectionSet);
          this.walking.delete(fragment.name.value);
          return isPublic;
        }
      }
    });
  }

  private fieldIsPublic(parent: GraphQLCompositeType, name: string, atRoot: boolean, selectionSet: SelectionSetNode | undefined): boolean {
    // A union has no fields of its own; introspection's __schema and __type are in no type's fields either.
    const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!field || (atRoot && !PUBLIC_CATALOG_ROOTS.has(name)) || hintOf(field) === 'other') return false;
    if (atRoot) this.selectsCatalog = true;
    const named = getNamedType(field.type);
    return !isCompositeType(named) || (selectionSet !== undefined && this.selectionIsPublic(named, selectionSet));
  }

  private fragmentIsPublic(typeName: string, selectionSet: SelectionSetNode): boolean {
    const type = this.schema.getType(typeName);
    return isCompositeType(type) && this.selectionIsPublic(type, selectionSet);
  }
}

/**
 * Whether every answer to `document` is the same for every anonymous caller,
 * so that it may be kept publicly: a single query operation whose root fields
 * are all public catalog roots (at least one), selecting nothing below them
 * that is private (cache-hints.ts). Introspection is never public.
 */
export function isPublicDocument(schema: GraphQLSchema, document: DocumentNode): boolean {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const query: GraphQLObjectType | null | undefined = schema.getQueryType();
  if (operations.length !== 1 || operations[0].operation !== 'query' || !query) return false;
  const walk = new PublicDocumentWalk(schema, document);
  return walk.selectionIsPublic(query, operations[0].selectionSet) && walk.selectsCatalog;
}

/**
 * isPublicDocument, decided once per parsed document. Apollo keeps each parsed
 * document (its document store, by the query's hash) and hands the same
 * DocumentNode to every request that sends it, so per request this is a lookup;
 * a document Apollo lets go is let go here too.
 */
export function publicDocuments(schema: GraphQLSchema): (document: DocumentNode) => boolean {
  const missing = [...PUBLIC_CATALOG_ROOTS].filter((name) => !schema.getQueryType()?.getFields()[name]);
  if (missing.length > 0) throw new Error(`PUBLIC_CATALOG_ROOTS names fields the schema's Query lacks: ${missing.join(', ')}`);
  const decided = new WeakMap<DocumentNode, boolean>();
  return (document) => {
    let isPublic = decided.get(document);
    if (isPublic === undefined) {
      isPublic = isPublicDocument(schema, document);
      decided.set(document, isPublic);
    }
    return isPublic;
  };
}
