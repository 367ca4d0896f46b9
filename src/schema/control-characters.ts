import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type ASTNode, type DocumentNode, type GraphQLError } from 'graphql';
import { badInput } from './bad-input';

/**
 * No string input may carry a C0 control character (U+0000–U+001F). A NUL byte
 * in a signUp email once reached the database driver, which failed and logged
 * the whole INSERT, password hash included; other control characters forge log
 * lines, break CSV exports and confuse the PSP. Checked once for every
 * operation, before execution, on both places a string can come from (inline
 * literals and variables), so every argument of every resolver is covered —
 * scalars such as `cart(id:)` too, which class-validator never sees — and a
 * refused operation changes nothing.
 *
 * Free text — a refund or cancellation `reason`, a payment link `description` —
 * may hold line breaks and tabs (TAB, LF, CR); everything else is single-line.
 * A string's field is the input field or argument it is written under, through
 * a variable too.
 */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set(['reason', 'description']);

// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's whole job
const CONTROL = /[\u0000-\u001f]/;
// eslint-disable-next-line no-control-regex -- as above, with TAB, LF and CR allowed
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export const hasForbiddenControlCharacter = (value: string, field: string | null): boolean =>
  (field !== null && FREE_TEXT_FIELDS.has(field) ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL).test(value);

type Ancestors = readonly (ASTNode | readonly ASTNode[])[];
const isNode = (entry: ASTNode | readonly ASTNode[]): entry is ASTNode => !Array.isArray(entry);

/** The field a value is written under: the nearest argument or input-object field around it. */
function nearestFieldName(ancestors: Ancestors): string | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i];
    if (isNode(node) && (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD)) return node.name.value;
  }
  return null;
}

interface DocumentStrings {
  /** The field of the first inline literal with a forbidden character, if any. */
  refusedLiteral: string | null | undefined;
  /** Variable name -> the fields it is passed to. */
  variableFields: Map<string, Set<string | null>>;
}

/**
 * Apollo keeps parsed documents in its document store and hands the same
 * DocumentNode to every request with the same text, so a document is scanned
 * once, not per request: the scan walks every string of the document, and a
 * storefront sends the same few documents all day.
 */
const scanned = new WeakMap<DocumentNode, DocumentStrings>();

function scanDocumentOnce(document: DocumentNode): DocumentStrings {
  let strings = scanned.get(document);
  if (!strings) {
    strings = scanDocument(document);
    scanned.set(document, strings);
  }
  return strings;
}

function scanDocument(document: DocumentNode): DocumentStrings {
  let refusedLiteral: string | null | undefined;
  const variableFields = new Map<string, Set<string | null>>();
  visit(document, {
    // graphql-js leaves the direct parent out of `ancestors`.
    StringValue(node, _key, parent, _path, ancestors) {
      const field = nearestFieldName([...ancestors, parent!]);
      if (refusedLiteral === undefined && hasForbiddenControlCharacter(node.value, field)) refusedLiteral = field;
    },
    Variable(node, _key, parent, _path, ancestors) {
      const around = [...ancestors, parent!];
      // A variable's own definition (`$email: String!`) is not a use of it.
      if (around.some((a) => isNode(a) && a.kind === Kind.VARIABLE_DEFINITION)) return;
      const uses = variableFields.get(node.name.value) ?? new Set<string | null>();
      uses.add(nearestFieldName(around));
      variableFields.set(node.name.value, uses);
    },
  });
  return { refusedLiteral, variableFields };
}

/**
 * Deeper than any input of the schema nests (an input object holding a list
 * of input objects is three levels; a unit test keeps the schema well below
 * this). Within its 1 MB a JSON body can nest a value hundreds of thousands of
 * levels deep, in a variable no operation even declares: a recursive walk
 * would overflow the call stack (an internal error, not the client's 400), so
 * values are walked with a stack of their own and refused past this depth.
 */
export const MAX_VARIABLE_DEPTH = 20;

/** What is wrong with a request's variables: a string with a forbidden character (under `field`), or a value nested too deep. */
type VariableProblem = { kind: 'control'; field: string | null } | { kind: 'too-deep'; variable: string };

/** The first problem of one variable's value, in the order it is written; null when it has none. */
function problemOf(name: string, value: unknown, field: string | null): VariableProblem | null {
  const pending: { value: unknown; field: string | null; depth: number }[] = [{ value, field, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, field: under, depth } = next;
    if (typeof current === 'string') {
      if (hasForbiddenControlCharacter(current, under)) return { kind: 'control', field: under };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth > MAX_VARIABLE_DEPTH) return { kind: 'too-deep', variable: name };
    const children = Array.isArray(current)
      ? current.map((item: unknown) => ({ value: item, field: under, depth: depth + 1 }))
      : Object.entries(current).map(([key, item]) => ({ value: item, field: key, depth: depth + 1 }));
    // Pushed last first, so that the walk meets them in the order they are written.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return null;
}

function variableProblem(variables: Record<string, unknown>, variableFields: Map<string, Set<string | null>>): VariableProblem | null {
  for (const [name, value] of Object.entries(variables)) {
    // A variable passed to several fields must suit the strictest of them; an unused one is held to single-line text.
    const fields = [...(variableFields.get(name) ?? [null])];
    const strictest = fields.find((field) => field === null || !FREE_TEXT_FIELDS.has(field)) ?? fields[0];
    const problem = problemOf(name, value, strictest);
    if (problem) return problem.kind === 'control' ? { kind: 'control', field: problem.field ?? name } : problem;
  }
  return null;
}

function refusal(problem: VariableProblem): GraphQLError {
  const error =
    problem.kind === 'too-deep'
      ? badInput(
          `Variable "$${problem.variable}" nests its value more than ${MAX_VARIABLE_DEPTH} levels deep; no input of this API is that deep.`,
          problem.variable,
        )
      : badInput(
          'Text may not contain control characters' + (problem.field && FREE_TEXT_FIELDS.has(problem.field) ? ' other than tabs and line breaks.' : '.'),
          problem.field ?? undefined,
        );
  error.extensions.http = { status: 400 };
  return error;
}

/** Refuses the operation with VALIDATION_FAILED (BAD_USER_INPUT, HTTP 400) before anything runs. */
export const controlCharacterGuard: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const { refusedLiteral, variableFields } = scanDocumentOnce(document);
        const problem: VariableProblem | null =
          refusedLiteral !== undefined ? { kind: 'control', field: refusedLiteral } : variableProblem(request.variables ?? {}, variableFields);
        if (problem) throw refusal(problem);
      },
    };
  },
};
