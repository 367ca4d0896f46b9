import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../../src/project-root';

const ROOT = projectRoot();

/**
 * The project's own eslint.config.mjs, as `npm run lint` reads it, over texts never written to disk
 * (lintText with a path under src/, in a child process: test/support/lint-texts.mjs). The project
 * service cannot type a file that is not on disk, so type information is off here, and with it the
 * three rules that need it (type-aware-rules.test.ts covers those); the rules under test read syntax.
 */
const WITHOUT_TYPES = {
  languageOptions: { parserOptions: { projectService: false } },
  rules: {
    '@typescript-eslint/no-floating-promises': 'off',
    '@typescript-eslint/no-misused-promises': 'off',
    '@typescript-eslint/switch-exhaustiveness-check': 'off',
  },
};

type Problem = { line: number; rule: string | null };

/** Every problem ESLint reports for each text as the file at its path, by line (a parse error counts, with a null rule). */
function lintTexts(texts: { path: string; code: string }[]): Promise<Problem[][]> {
  const script = join(ROOT, 'test', 'support', 'lint-texts.mjs');
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [script], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`ESLint failed: ${stderr || error.message}`));
      const results = JSON.parse(stdout) as (Problem & { message: string })[][];
      resolve(
        results.map((problems) =>
          problems.map(({ line, rule }) => ({ line, rule })).sort((a, b) => a.line - b.line || String(a.rule).localeCompare(String(b.rule))),
        ),
      );
    });
    child.stdin!.end(JSON.stringify({ cwd: ROOT, overrideConfig: WITHOUT_TYPES, texts: texts.map(({ path, code }) => ({ path: join(ROOT, path), code })) }));
  });
}

// One line per way of holding SQL outside src/db; line 6 breaks two rules at once.
const SQL_IN_A_SERVICE = `import { raw } from '@mikro-orm/core';
import { isPostgres, type EntityManager } from '../../db/orm';
import type { Sql } from '../../db/sql/sql';

export async function orderTotal(em: EntityManager, sql: Sql, columns: string, condition: string): Promise<unknown[]> {
  await em.execute('select 1');
  const connection = em.getConnection();
  const knex = connection.getKnex();
  const total = 'select total from orders where id = ?';
  const claim = \`update carts set version = version + 1 where id = \${condition}\`;
  const guard = { sql: 'shipping_address = ?' };
  const vouchers = \`(select \${columns} from vouchers vo where \${condition})\`;
  const dialect = isPostgres(em) ? 'postgresql' : 'libsql';
  return [knex, total, claim, guard, vouchers, dialect, raw, sql];
}
`;

// The same service in domain words; its prose says select, update and where, and SQL is in none of it.
const DOMAIN_WORDS = `import type { Stores } from '../../db/stores';
import type { UnitOfWork } from '../../db/unit-of-work';

/** Select what to spend: the balance comes from the credit store, where its statement lives. */
export async function creditToSpend(uow: UnitOfWork, stores: Pick<Stores, 'credit'>, customerId: string, total: number) {
  const balance = await stores.credit.balance(uow, customerId, 'EUR');
  if (balance < total) return { refused: 'Select a payment method: your store credit does not cover the total.' };
  const note = \`Update your address, then select \${'it'} again from the list where it shows.\`;
  return { spend: Math.min(balance, total), kinds: ['update', 'insert', 'delete'], note };
}
`;

describe('SQL placement lint rules (eslint.config.mjs, src/ outside src/db)', () => {
  let inService: Problem[];
  let inStore: Problem[];
  let inDomainWords: Problem[];
  beforeAll(async () => {
    [inService, inStore, inDomainWords] = await lintTexts([
      { path: 'src/services/orders/order-total.ts', code: SQL_IN_A_SERVICE },
      { path: 'src/db/stores/order-total-store.ts', code: SQL_IN_A_SERVICE },
      { path: 'src/services/credit/credit-to-spend.ts', code: DOMAIN_WORDS },
    ]);
  });

  it('when a service imports the dialect test, a raw fragment or the statement runner, executes, reaches for the connection or holds SQL text, then each rule reports that line', () => {
    expect(inService).toEqual([
      { line: 1, rule: 'no-restricted-imports' },
      { line: 2, rule: 'no-restricted-syntax' },
      { line: 3, rule: 'no-restricted-imports' },
      { line: 6, rule: 'no-restricted-properties' },
      { line: 6, rule: 'no-restricted-syntax' },
      { line: 7, rule: 'no-restricted-properties' },
      { line: 8, rule: 'no-restricted-properties' },
      { line: 9, rule: 'no-restricted-syntax' },
      { line: 10, rule: 'no-restricted-syntax' },
      { line: 11, rule: 'no-restricted-syntax' },
      { line: 12, rule: 'no-restricted-syntax' },
      { line: 13, rule: 'no-restricted-syntax' },
    ]);
  });

  it('when the same code is a store in src/db, then nothing is reported: SQL lives there', () => {
    expect(inStore).toEqual([]);
  });

  it('when a service says what it needs in domain words, prose included, then nothing is reported', () => {
    expect(inDomainWords).toEqual([]);
  });
});
