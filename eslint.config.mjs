// Lint for the hand-written TypeScript: ESLint's and typescript-eslint's recommended rules everywhere,
// and for src/ the few type-aware rules that catch what the compiler lets through: a promise nobody
// awaits (its rejection escapes every handler), a promise handed to a callback that ignores it, a switch
// that forgets a member of its union. Generated code is left alone: its tools rewrite it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * A string or template part that starts an SQL statement or a parenthesised subquery (`(select ${columns}
 * from …` included), or compares a column with a `?` placeholder: the shapes of SQL text, and not of the
 * prose around it ("Select a shipping method" starts no statement: a select names a column, a number, `*`
 * or a call).
 */
const SQL_TEXT =
  /^\s*\(?\s*(select\s+(\d|\*|distinct\b|\w+\(|[\w."]+\s*(,|as\b|from\b))|insert\s+into\b|update\s+[\w."]+\s+set\b|delete\s+from\b|with\s+(recursive\s+)?\w+\s+as\s*\()|^\s*\(\s*select\s+$|\b\w+\s*(=|<>|!=|<=|>=|<|>)\s*\?|\bin\s*\(\?\)/i;
const sqlTextSelectors = ['Literal[value=', 'TemplateElement[value.raw='].map((node) => ({
  selector: `${node}${SQL_TEXT}]`,
  message: 'SQL text belongs in a store (src/db/stores): say what the service needs in domain words and let the store write the statement.',
}));

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'client/src/generated/**',
      'test/generated/**',
      // MikroORM's migration generator writes these; the index files beside them are ours.
      'src/db/migrations/*/Migration*.ts',
      // Deliberately broken code that proves the dependency-cruiser and type-aware rules bite.
      'test/fixtures/**',
    ],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'tools/**/*.ts', 'client/src/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // The house idioms: a leading underscore marks a parameter kept for its position (Express
      // tells error middleware by its four parameters), and a rest sibling drops a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // No file over ~400 lines (house style). Blank lines are free; comments count, as they do for a reader.
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: false }],
    },
  },
  {
    // Type information costs about one `tsc` run, so only src/ pays for it: the gateway itself, where a
    // rejection nobody handles loses a payment's bookkeeping. A deliberate fire-and-forget is written
    // `void promise.catch(...)` with a comment saying where its errors go. A `default:` does not stand in
    // for a union's members: each is named, so a new status is met at every switch on it.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    // SQL lives in src/db (the stores, the one statement runner, the dialect): every other part of src/
    // says what it wants from a store, in domain words, and never which database answers it.
    files: ['src/**/*.ts'],
    ignores: ['src/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...sqlTextSelectors,
        {
          selector: "ImportSpecifier[imported.name='isPostgres'], CallExpression[callee.name='isPostgres']",
          message: 'A service never asks which database it runs on: the store for each dialect is chosen once, in createStores.',
        },
      ],
      'no-restricted-properties': [
        'error',
        ...['execute', 'getConnection', 'getKnex', 'isPostgres'].map((property) => ({
          property,
          message: `\`.${property}\` runs or picks SQL: it belongs in a store (src/db/stores), which services reach through deps.stores.`,
        })),
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)db/(sql|dialect)(/|$)', message: 'The statement runner and the dialect are src/db’s own: call a store instead.' },
            { regex: '^@mikro-orm/', importNames: ['raw', 'sql'], message: 'A raw SQL fragment belongs in a store (src/db/stores).' },
          ],
        },
      ],
    },
  },
);
