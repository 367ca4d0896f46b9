import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../src/project-root';

const ROOT = projectRoot();
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'boundaries');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/**
 * The project's own .dependency-cruiser.cjs over a fixture tree, run from the fixture's root as
 * `npm run lint` runs from the repository's: the rules' src/... paths mean the fixture's src/.
 */
async function violationsIn(fixture: string): Promise<{ rule: string; from: string; to: string }[]> {
  const args = [DEPCRUISE, 'src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'];
  // The exit code is the number of errors: the JSON on stdout is the answer either way.
  const stdout = await promisify(execFile)(process.execPath, args, { cwd: join(FIXTURES, fixture), timeout: 60_000 }).then(
    (done) => done.stdout,
    (failed: { stdout?: string; stderr?: string }) => {
      if (!failed.stdout) throw new Error(`dependency-cruiser failed: ${failed.stderr ?? ''}`);
      return failed.stdout;
    },
  );
  const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  // The stripe package resolves to a file inside node_modules: the package is what matters.
  const named = (path: string) => path.replace(/^.*node_modules\/stripe\/.*$/, 'stripe');
  return result.summary.violations
    .map((violation) => ({ rule: violation.rule.name, from: violation.from, to: named(violation.to) }))
    .sort((a, b) => a.rule.localeCompare(b.rule));
}

describe('import boundaries (.dependency-cruiser.cjs)', () => {
  it('when each rule is broken once, then each reports exactly that import and nothing else', async () => {
    expect(await violationsIn('violating')).toEqual([
      { rule: 'no-circular', from: 'src/services/inventory/reservations.ts', to: 'src/services/inventory/stock-levels.ts' },
      { rule: 'services-not-upward', from: 'src/services/orders/order-summary.ts', to: 'src/schema/order-fields.ts' },
      { rule: 'sql-only-in-db', from: 'src/services/inventory/stock-report.ts', to: 'src/db/sql/sql.ts' },
      { rule: 'stores-by-interface', from: 'src/services/orders/order-stock.ts', to: 'src/db/stores/postgres/stock-store.pg.ts' },
      { rule: 'stripe-only-in-adapter', from: 'src/services/refunds/refund-reason.ts', to: 'stripe' },
    ]);
  });

  it('when imports only point downward, the SDK stays in the adapter, a cycle is closed by a type-only import and only src/db touches SQL and store implementations, then nothing is reported', async () => {
    expect(await violationsIn('clean')).toEqual([]);
  });
});
