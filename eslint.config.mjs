// Lint for the hand-written TypeScript: ESLint's and typescript-eslint's recommended rules,
// syntax-only (no type information), so it stays fast. Generated code is left alone: its tools rewrite it.
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
      // Deliberately broken import graphs that prove the dependency-cruiser rules bite.
      'test/fixtures/boundaries/**',
    ],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'tools/**/*.ts', 'client/src/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // The house idioms: a leading underscore marks a parameter kept for its position (Express
      // tells error middleware by its four parameters), and a rest sibling drops a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
);
