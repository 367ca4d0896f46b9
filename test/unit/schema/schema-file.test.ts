import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderSchema, SCHEMA_FILE } from '../../../src/schema/emit-schema';
import { staleness } from '../../support/generated-file';

describe('src/schema/schema.graphql', () => {
  it('when the code-first schema is rendered, then it equals the committed file', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(staleness('src/schema/schema.graphql', committed, await renderSchema(), 'npm run schema:emit')).toBeNull();
  });

  it('when checked against shared/CONTRACT.graphql, then the whole contract is honoured', async () => {
    const checker = join(process.cwd(), '..', 'shared', 'bin', 'contract-check.mjs');
    const output = await promisify(execFile)(process.execPath, [checker, 'src/schema/schema.graphql'], { cwd: process.cwd() })
      .then((result) => result.stdout, (failure: { stdout?: string }) => failure.stdout ?? '');
    const problems = output.split('\n').filter((line) => line && !line.startsWith('contract:'));
    // The checker ends with a summary line whatever the outcome; without it, it did not run.
    expect(output).toMatch(/^contract: /m);
    expect(problems).toEqual([]);
  });
});
