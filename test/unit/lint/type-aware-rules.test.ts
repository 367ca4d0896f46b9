import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../src/project-root';

const ROOT = projectRoot();
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'lint');

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; line: number; message: string }[];
}

/**
 * The project's own eslint.config.mjs over a fixture tree, run from the fixture's root as `npm run lint`
 * runs from the repository's: the config's src/** patterns mean the fixture's src/. `--no-ignore`, because
 * the config leaves test/fixtures out of the project's own lint.
 */
async function lint(fixture: string): Promise<{ linted: string[]; problems: { rule: string | null; file: string; line: number }[] }> {
  const args = [ESLINT, '--config', join(ROOT, 'eslint.config.mjs'), '--no-ignore', '--format', 'json', 'src'];
  // ESLint exits 1 when it finds errors: the JSON on stdout is the answer either way.
  const stdout = await promisify(execFile)(process.execPath, args, { cwd: join(FIXTURES, fixture), timeout: 60_000 }).then(
    (done) => done.stdout,
    (failed: { stdout?: string; stderr?: string }) => {
      if (!failed.stdout) throw new Error(`ESLint failed: ${failed.stderr ?? ''}`);
      return failed.stdout;
    },
  );
  const results = JSON.parse(stdout) as LintResult[];
  const relative = (path: string) => path.slice(join(FIXTURES, fixture).length + 1);
  return {
    linted: results.map((result) => relative(result.filePath)),
    problems: results.flatMap((result) => result.messages.map((message) => ({ rule: message.ruleId, file: relative(result.filePath), line: message.line }))),
  };
}

describe('type-aware lint rules (eslint.config.mjs, src/)', () => {
  it('when a promise is left floating, one is handed to forEach and a switch defaults past two members, then each rule reports exactly that line', async () => {
    const file = 'src/services/payments/capture.ts';
    expect((await lint('violating')).problems).toEqual([
      { rule: '@typescript-eslint/no-floating-promises', file, line: 9 },
      { rule: '@typescript-eslint/no-misused-promises', file, line: 14 },
      { rule: '@typescript-eslint/switch-exhaustiveness-check', file, line: 20 },
    ]);
  });

  it('when every promise is awaited or voided with a handler and the switch names each member, then nothing is reported', async () => {
    expect(await lint('clean')).toEqual({ linted: ['src/services/payments/capture.ts'], problems: [] });
  });
});
