/**
 * A baseline revision may predate fields that today's client documents select
 * (fb245c7 has no `CheckoutConfirmation.orderToken`). So that the same flow
 * still runs against it, each server's documents are fitted to its own schema:
 * a field the server does not have is left out of the selection, and the bench
 * says which fields it left out. Today's server gets its documents unchanged.
 */
import {
  buildClientSchema,
  getIntrospectionQuery,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

/** Gives the document a buyer sends to this server in place of the client package's. */
export type DocumentFitter = <D extends object>(document: D) => D;

export const unchanged: DocumentFitter = (document) => document;

/** Said once per run, though each build's server starts twice (timed, then counting statements). */
const said = new Set<string>();
const sayOnce = (line: string) => {
  if (said.has(line)) return;
  said.add(line);
  console.log(line);
};

/** The document's text without the fields the schema lacks, and their `Type.field` names. */
export function fitToSchema(schema: GraphQLSchema, text: string): { text: string; dropped: string[] } {
  const typeInfo = new TypeInfo(schema);
  const dropped: string[] = [];
  const fitted = visit(
    parse(text),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (typeInfo.getFieldDef()) return undefined;
        dropped.push(`${typeInfo.getParentType()?.name ?? '?'}.${node.name.value}`);
        return null;
      },
    }),
  );
  return { text: dropped.length > 0 ? print(fitted) : text, dropped };
}

/** Asks the server for its schema; a server that refuses introspection gets the documents unchanged. */
export async function documentFitter(introspect: (query: string) => Promise<IntrospectionQuery>, serverLabel: string): Promise<DocumentFitter> {
  let schema: GraphQLSchema;
  try {
    schema = buildClientSchema(await introspect(getIntrospectionQuery()));
  } catch {
    return unchanged;
  }
  const fitted = new Map<object, object>();
  return <D extends object>(document: D): D => {
    let answer = fitted.get(document);
    if (!answer) {
      const { text, dropped } = fitToSchema(schema, String(document));
      if (dropped.length > 0) sayOnce(`  ${serverLabel} lacks ${dropped.join(', ')}: its documents leave them out`);
      // The client sends String(document) as the query text; the hash stays the package's (unused: the bench does not persist).
      answer = dropped.length > 0 ? Object.assign(new String(text), { __meta__: (document as { __meta__?: unknown }).__meta__ }) : document;
      fitted.set(document, answer);
    }
    return answer as D;
  };
}
