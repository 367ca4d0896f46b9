// Lint for the hand-written TypeScript: ESLint's and typescript-eslint's recommended rules everywhere,
// and for src/ the few type-aware rules that catch what the compiler lets through: a promise nobody
// awaits (its rejection escapes every handler), a promise handed to a callback that ignores it, a switch
// that forgets a member of its union. Generated code is left alone: its tools rewrite it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

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
);
