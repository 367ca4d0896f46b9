import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = process.cwd();

/** `graphql-codegen --check` in `cwd`: 'current', or why not. */
async function codegenCheck(cwd: string): Promise<string> {
  const codegen = join(ROOT, 'node_modules', '.bin', 'graphql-codegen');
  return promisify(execFile)(codegen, ['--config', 'codegen.yml', '--check'], { cwd, timeout: 60_000 }).then(
    () => 'current',
    (failure: { stdout?: string; stderr?: string }) => `stale or broken: run \`npm run codegen\`\n${failure.stdout ?? ''}${failure.stderr ?? ''}`,
  );
}

describe('generated code (client/src/generated with its manifest, test/generated)', () => {
  // Each test runs graphql-codegen as a child process over the whole schema: tens of seconds on a loaded 2-core machine.
  jest.setTimeout(180_000);
  it('when codegen runs in check mode against the committed schema and operations, then nothing is stale', async () => {
    expect(await codegenCheck(ROOT)).toBe('current');
  });

  it('when an operation is added to client/operations but the manifest is not regenerated, then the check fails', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'tillgate-codegen-'));
    try {
      for (const path of ['codegen.yml', 'src/schema/schema.graphql', 'client/operations', 'client/src/generated', 'test/operations', 'test/generated']) {
        cpSync(join(ROOT, path), join(copy, path), { recursive: true });
      }
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
      expect(await codegenCheck(copy)).toBe('current');
      writeFileSync(join(copy, 'client/operations/extra.graphql'), 'query ExtraShipping { shippingMethods(currency: "EUR") { id } }\n');
      expect(await codegenCheck(copy)).toMatch(/^stale or broken/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
