import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Static shape of an operation, measured before anything runs.
 *
 * depth: levels of nested fields (`{ me { id } }` is 2).
 * cost:  the work the operation can make the server do at worst, counted in
 *        rows loaded. Each value of a row type costs 1; a value object that
 *        comes with its parent row (Money, totals, an address, a connection
 *        wrapper) costs nothing, and neither do scalars. A list multiplies what
 *        it holds by the most items the server returns for it (its cap); a
 *        field with a `first` argument multiplies by its page size, and its
 *        `nodes` list is that page, not multiplied again. Some fields do work
 *        that is not rows (a password hash, a write transaction): they add
 *        their weight each time they run. A to-one reference costs less than
 *        a row per parent when the resolver does less: asked for its id alone,
 *        one whose foreign key is a column of the parent row answers from that
 *        column and costs nothing; one read through a per-request DataLoader
 *        reads every parent's reference in one statement, whose rows are at
 *        most the parents (already counted), so it costs one row for the
 *        request, not one per parent. A list under such a reference still
 *        multiplies by every list around it.
 *
 * A page size given through a variable is unknown at validation time (and
 * validation results are cached per document), so it counts as `maxPageSize`,
 * the cap the paginated resolvers enforce.
 *
 * Introspection (`__schema`, `__type`) is not counted: graphql-js's own
 * MaxIntrospectionDepthRule bounds it, and the playground needs it.
 */
export interface QueryShape {
  depth: number;
  cost: number;
}

/** What the meter knows about the schema's work; the gateway's own is in cost-model.ts. */
export interface CostModel {
  /** Types whose values are carried by their parent row (or by the mutation's answer): free. */
  valueTypes: ReadonlySet<string>;
  /** `Type.field` of a list -> the most items the server ever returns for it. */
  listCaps: Readonly<Record<string, number>>;
  /** `Type.field` -> work per call that is not rows (replaces mutationWeight on the mutation root). */
  fieldWeights: Readonly<Record<string, number>>;
  /** 'Parent.list>Child.field': an object field whose row its enclosing field already carries (a product's variants answer their product): no row of its own. */
  rowsInHand: ReadonlySet<string>;
  /** `Type.field` of a to-one reference whose resolver answers `{ id }` from the parent row's foreign key, loading nothing. */
  idsOnParent: ReadonlySet<string>;
  /** `Type.field` of a to-one reference resolved through a per-request DataLoader: one statement for all its parents. */
  batchedReferences: ReadonlySet<string>;
  /** Every other root mutation field: a write transaction of several statements. */
  mutationWeight: number;
  /** Items assumed for a list the server does not cap. */
  defaultListSize: number;
  /** Page size assumed when `first` is a variable, or omitted without a default. */
  maxPageSize: number;
}

/** While measuring: `cost` is paid once per parent, `once` once per request, whatever lists are around it (a batched reference). */
interface Shape extends QueryShape {
  once: number;
}

const LEAF: Shape = { depth: 1, cost: 0, once: 0 };
const NOTHING: Shape = { depth: 0, cost: 0, once: 0 };

const combine = (shapes: Shape[]): Shape =>
  shapes.reduce((all, one) => ({ depth: Math.max(all.depth, one.depth), cost: all.cost + one.cost, once: all.once + one.once }), NOTHING);

/**
 * Past this many nested selections (fields, inline fragments, spreads) the
 * meter stops descending and reports the operation as deeper than this. No
 * operation near it is allowed (the depth limit is 12), and a document of a
 * few thousand tokens can nest a thousand levels, which a recursive walk
 * must not follow down to the end of the call stack.
 */
export const MAX_MEASURED_NESTING = 100;

/** What a reference asked for its id alone may still select: nothing that needs its row. */
const ANSWERED_BY_ID: ReadonlySet<string> = new Set(['id', '__typename']);

/**
 * Measures the operations of one document. Fragments are measured once and
 * remembered (cost is linear in the multiplier), so a "fragment bomb" that
 * spreads fragments into each other many times costs linear time to measure;
 * a fragment cycle (reported by graphql-js's NoFragmentCyclesRule) counts as nothing.
 */
export class QueryShapeMeter {
  private readonly fragmentShapes = new Map<string, Shape>();
  private readonly idOnlyFragments = new Map<string, boolean>();
  /** Set when a walk stopped at MAX_MEASURED_NESTING. */
  private cutShort = false;
  private readonly fragmentsInProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly model: CostModel,
    private readonly fragment: (name: string) => FragmentDefinitionNode | undefined,
  ) {}

  measureOperation(operation: OperationDefinitionNode): QueryShape {
    const rootType = this.schema.getRootType(operation.operation) ?? undefined;
    this.cutShort = false;
    const shape = this.measureSelections(operation.selectionSet, rootType, false, '', 0);
    return { depth: this.cutShort ? MAX_MEASURED_NESTING + 1 : shape.depth, cost: shape.cost + shape.once };
  }

  /**
   * within: the key of the field these selections belong to ('' at the root), for rows a parent carries.
   * nesting: selections walked down to here, for MAX_MEASURED_NESTING.
   */
  private measureSelections(
    selectionSet: SelectionSetNode,
    parentType: GraphQLNamedType | undefined,
    isPageOf: boolean,
    within: string,
    nesting: number,
  ): Shape {
    if (nesting > MAX_MEASURED_NESTING) {
      this.cutShort = true;
      return NOTHING;
    }
    return combine(
      selectionSet.selections.map((selection) => {
        switch (selection.kind) {
          case Kind.FIELD:
            return this.measureField(selection, parentType, isPageOf, within, nesting + 1);
          case Kind.INLINE_FRAGMENT: {
            const typeName = selection.typeCondition?.name.value;
            const type = typeName ? (this.schema.getType(typeName) ?? undefined) : parentType;
            return this.measureSelections(selection.selectionSet, type, isPageOf, within, nesting + 1);
          }
          case Kind.FRAGMENT_SPREAD:
            return this.measureFragment(selection.name.value, isPageOf, within, nesting + 1);
        }
      }),
    );
  }

  /** isPageOf: the field sits directly inside a paginated field, so its list is that page. */
  private measureField(node: FieldNode, parentType: GraphQLNamedType | undefined, isPageOf: boolean, within: string, nesting: number): Shape {
    if (node.name.value.startsWith('__')) return LEAF;
    const definition = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
    // An unknown field: FieldsOnCorrectTypeRule reports it, nothing to measure.
    if (!definition || !parentType) return LEAF;
    const key = `${parentType.name}.${definition.name}`;
    const weight = this.model.fieldWeights[key] ?? (parentType === this.schema.getMutationType() ? this.model.mutationWeight : 0);
    if (!node.selectionSet) return { depth: 1, cost: weight, once: 0 };

    const isList = isListType(getNullableType(definition.type));
    const pageSize = this.pageSize(node, definition);
    const multiplier = pageSize ?? (isList && !isPageOf ? (this.model.listCaps[key] ?? this.model.defaultListSize) : 1);
    const namedType = getNamedType(definition.type);
    const children = this.measureSelections(node.selectionSet, namedType, pageSize !== undefined && !isList, key, nesting);
    const rows = this.rowCost(namedType);
    const own =
      this.model.rowsInHand.has(`${within}>${key}`) || rows === 0
        ? NOTHING
        : isList
          ? { ...NOTHING, cost: rows }
          : // A walk cut short is refused for its depth; its selections are not walked again.
            this.model.idsOnParent.has(key) && !this.cutShort && this.asksOnlyForId(node.selectionSet)
            ? NOTHING
            : this.model.batchedReferences.has(key)
              ? { ...NOTHING, once: rows }
              : { ...NOTHING, cost: rows };
    return { depth: 1 + children.depth, cost: weight + multiplier * (own.cost + children.cost), once: own.once + children.once };
  }

  /**
   * Whether the selections ask for nothing but the id (and __typename), through
   * fragments too (each judged once, like measureFragment); directives are not
   * evaluated, as the resolvers do not evaluate them either (selection-lookahead.ts).
   */
  private asksOnlyForId(selectionSet: SelectionSetNode): boolean {
    return selectionSet.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return ANSWERED_BY_ID.has(selection.name.value);
        case Kind.INLINE_FRAGMENT:
          return this.asksOnlyForId(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD:
          return this.fragmentAsksOnlyForId(selection.name.value);
      }
    });
  }

  private fragmentAsksOnlyForId(name: string): boolean {
    const known = this.idOnlyFragments.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragment(name);
    // Unknown or cyclic: validation refuses the document; nothing to add here.
    if (!fragment || this.fragmentsInProgress.has(name)) return true;
    this.fragmentsInProgress.add(name);
    const answer = this.asksOnlyForId(fragment.selectionSet);
    this.fragmentsInProgress.delete(name);
    this.idOnlyFragments.set(name, answer);
    return answer;
  }

  /** 1 for a row; 0 for a value object, or a union/interface all of whose members are value objects. */
  private rowCost(type: GraphQLNamedType): number {
    const members = isAbstractType(type) ? this.schema.getPossibleTypes(type) : [type];
    return members.every((member) => this.model.valueTypes.has(member.name)) ? 0 : 1;
  }

  private pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
    const declared = definition.args.find((arg) => arg.name === 'first');
    if (!declared) return undefined;
    const given = node.arguments?.find((arg) => arg.name.value === 'first')?.value;
    if (!given) return typeof declared.defaultValue === 'number' ? declared.defaultValue : this.model.maxPageSize;
    if (given.kind === Kind.INT) return Math.max(0, Number(given.value));
    return this.model.maxPageSize;
  }

  private measureFragment(name: string, isPageOf: boolean, within: string, nesting: number): Shape {
    const key = `${name}:${isPageOf}:${within}`;
    const known = this.fragmentShapes.get(key);
    if (known) return known;
    const fragment = this.fragment(name);
    if (!fragment || this.fragmentsInProgress.has(name)) return NOTHING;
    this.fragmentsInProgress.add(name);
    const type = this.schema.getType(fragment.typeCondition.name.value) ?? undefined;
    const shape = this.measureSelections(fragment.selectionSet, type, isPageOf, within, nesting);
    this.fragmentsInProgress.delete(name);
    this.fragmentShapes.set(key, shape);
    return shape;
  }
}
