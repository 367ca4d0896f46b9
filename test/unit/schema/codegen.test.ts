import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

describe('test/generated/graphql.ts', () => {
  it('when codegen runs in check mode against the committed schema and operations, then nothing is stale', async () => {
    const codegen = join(process.cwd(), 'node_modules', '.bin', 'graphql-codegen');
    const outcome = await promisify(execFile)(codegen, ['--config', 'codegen.yml', '--check'], { cwd: process.cwd(), timeout: 60_000 }).then(
      () => 'current',
      (failure: { stdout?: string; stderr?: string }) => `stale or broken: run \`npm run codegen\`\n${failure.stdout ?? ''}${failure.stderr ?? ''}`,
    );
    expect(outcome).toBe('current');
  });
});
