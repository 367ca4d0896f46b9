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
