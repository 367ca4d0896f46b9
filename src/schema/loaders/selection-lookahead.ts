import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation asks, under the field being resolved, for the field at
 * `path` (e.g. ['nodes', 'variants', 'available']), looking through aliases,
 * inline fragments and named fragments.
 *
 * A list resolver uses it to read a relation for the whole list up front and
 * hand every item its data synchronously. A DataLoader would read the same
 * rows in the same one statement, but it costs a promise, a load call and a
 * scheduled batch per item, which on a catalog page (hundreds of items) was
 * most of the CPU left once the ORM was gone.
 *
 * @skip and @include are not evaluated: a relation they drop is read for
 * nothing (one statement), never answered wrongly.
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return info.fieldNodes.some((node) => node.selectionSet !== undefined && reaches(info, node.selectionSet, path, new Set()));
}

function reaches(info: GraphQLResolveInfo, set: SelectionSetNode, path: readonly string[], seenFragments: Set<string>): boolean {
  const [name, ...rest] = path;
  return set.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === name && (rest.length === 0 || below(info, selection, rest, seenFragments));
      case Kind.INLINE_FRAGMENT:
        return reaches(info, selection.selectionSet, path, seenFragments);
      case Kind.FRAGMENT_SPREAD: {
        const fragment = info.fragments[selection.name.value];
        // Validation refuses fragment cycles; the guard only keeps a malformed document from looping here.
        if (!fragment || seenFragments.has(fragment.name.value)) return false;
        return reaches(info, fragment.selectionSet, path, new Set(seenFragments).add(fragment.name.value));
      }
    }
  });
}

const below = (info: GraphQLResolveInfo, field: FieldNode, path: readonly string[], seenFragments: Set<string>): boolean =>
  field.selectionSet !== undefined && reaches(info, field.selectionSet, path, seenFragments);

/** What a to-one reference asked for its id alone may select: nothing that needs its row. */
const ANSWERED_BY_ID: ReadonlySet<string> = new Set(['id', '__typename']);

/**
 * Every item of a list shares one fieldNodes array (graphql-js collects a
 * list's subfields once), so the answer is kept per array: a page of lines
 * walks its selection once, not once per line.
 */
const idOnlyByFieldNodes = new WeakMap<readonly FieldNode[], boolean>();

/**
 * Whether the field being resolved asks for nothing but `id` (and
 * `__typename`), through fragments too. A to-one reference whose foreign key
 * is on the parent row then answers from that column and loads nothing; the
 * request cost model counts it as free (cost-model.ts IDS_ON_PARENT), and
 * reads the selection the same way (directives not evaluated).
 */
export function asksOnlyForId(info: GraphQLResolveInfo): boolean {
  let answer = idOnlyByFieldNodes.get(info.fieldNodes);
  if (answer === undefined) {
    const fragments = new Map<string, boolean>();
    answer = info.fieldNodes.every((node) => node.selectionSet !== undefined && onlyIds(info, node.selectionSet, fragments));
    idOnlyByFieldNodes.set(info.fieldNodes, answer);
  }
  return answer;
}

/** `fragments`: each named fragment's answer, judged once, so fragments spread into each other many times cost linear time. */
function onlyIds(info: GraphQLResolveInfo, set: SelectionSetNode, fragments: Map<string, boolean>): boolean {
  return set.selections.every((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return ANSWERED_BY_ID.has(selection.name.value);
      case Kind.INLINE_FRAGMENT:
        return onlyIds(info, selection.selectionSet, fragments);
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const known = fragments.get(name);
        if (known !== undefined) return known;
        const fragment = info.fragments[name];
        if (!fragment) return false;
        // Validation refuses cycles; a spread already being judged adds nothing to the answer.
        fragments.set(name, true);
        const answer = onlyIds(info, fragment.selectionSet, fragments);
        fragments.set(name, answer);
        return answer;
      }
    }
  });
}

/** The reference answered from its foreign key: an instance of its GraphQL class holding the id alone. */
export const referenceById = <T extends { id: string }>(type: new () => T, id: string): T => Object.assign(new type(), { id });
