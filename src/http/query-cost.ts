import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Static shape of an operation, measured before anything runs.
 *
 * depth: levels of nested fields (`{ me { id } }` is 2).
 * cost:  how many object values the operation can make the server resolve at
 *        worst. Each field that returns an object (or a list of them) costs 1 per
 *        time it is resolved; scalar leaves are free because reading them is a
 *        property access. A field with a `first` argument multiplies its subtree
 *        by the page size (its page list, `nodes`, is not multiplied again); any
 *        other list multiplies its subtree by `defaultListSize`.
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

export interface CostModel {
  defaultListSize: number;
  maxPageSize: number;
}

const LEAF: QueryShape = { depth: 1, cost: 0 };
const NOTHING: QueryShape = { depth: 0, cost: 0 };

const combine = (shapes: QueryShape[]): QueryShape =>
  shapes.reduce((all, one) => ({ depth: Math.max(all.depth, one.depth), cost: all.cost + one.cost }), NOTHING);

/**
 * Measures the operations of one document. Fragments are measured once and
 * remembered (cost is linear in the multiplier), so a "fragment bomb" that
 * spreads fragments into each other many times costs linear time to measure;
 * a fragment cycle (reported by graphql-js's NoFragmentCyclesRule) counts as nothing.
 */
export class QueryShapeMeter {
  private readonly fragmentShapes = new Map<string, QueryShape>();
  private readonly fragmentsInProgress = new Set<string>();

  constructor(
    private readonly context: ValidationContext,
    private readonly model: CostModel,
  ) {}

  measureOperation(operation: OperationDefinitionNode): QueryShape {
    const rootType = this.context.getSchema().getRootType(operation.operation) ?? undefined;
    return this.measureSelections(operation.selectionSet, rootType, false);
  }

  private measureSelections(selectionSet: SelectionSetNode, parentType: GraphQLNamedType | undefined, isPageOf: boolean): QueryShape {
    return combine(
      selectionSet.selections.map((selection) => {
        switch (selection.kind) {
          case Kind.FIELD:
            return this.measureField(selection, parentType, isPageOf);
          case Kind.INLINE_FRAGMENT: {
            const typeName = selection.typeCondition?.name.value;
            const type = typeName ? this.context.getSchema().getType(typeName) ?? undefined : parentType;
            return this.measureSelections(selection.selectionSet, type, isPageOf);
          }
          case Kind.FRAGMENT_SPREAD:
            return this.measureFragment(selection.name.value, isPageOf);
        }
      }),
    );
  }

  /** isPageOf: the field sits directly inside a paginated field, so its list is that page. */
  private measureField(node: FieldNode, parentType: GraphQLNamedType | undefined, isPageOf: boolean): QueryShape {
    if (node.name.value.startsWith('__') || !node.selectionSet) return LEAF;
    const definition = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[node.name.value] : undefined;
    // An unknown field: FieldsOnCorrectTypeRule reports it, nothing to measure.
    if (!definition) return LEAF;
    const isList = isListType(getNullableType(definition.type));
    const pageSize = this.pageSize(node, definition);
    const multiplier = pageSize ?? (isList && !isPageOf ? this.model.defaultListSize : 1);
    const children = this.measureSelections(node.selectionSet, getNamedType(definition.type), pageSize !== undefined && !isList);
    return { depth: 1 + children.depth, cost: 1 + multiplier * children.cost };
  }

  private pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
    const declared = definition.args.find((arg) => arg.name === 'first');
    if (!declared) return undefined;
    const given = node.arguments?.find((arg) => arg.name.value === 'first')?.value;
    if (!given) return typeof declared.defaultValue === 'number' ? declared.defaultValue : this.model.maxPageSize;
    if (given.kind === Kind.INT) return Math.max(0, Number(given.value));
    return this.model.maxPageSize;
  }

  private measureFragment(name: string, isPageOf: boolean): QueryShape {
    const key = `${name}:${isPageOf}`;
    const known = this.fragmentShapes.get(key);
    if (known) return known;
    const fragment = this.context.getFragment(name);
    if (!fragment || this.fragmentsInProgress.has(name)) return NOTHING;
    this.fragmentsInProgress.add(name);
    const type = this.context.getSchema().getType(fragment.typeCondition.name.value) ?? undefined;
    const shape = this.measureSelections(fragment.selectionSet, type, isPageOf);
    this.fragmentsInProgress.delete(name);
    this.fragmentShapes.set(key, shape);
    return shape;
  }
}
