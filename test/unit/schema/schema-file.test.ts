import { readFileSync } from 'node:fs';
import { renderSchema, SCHEMA_FILE } from '../../../src/schema/emit-schema';
import { staleness } from '../../support/generated-file';

/**
 * The committed schema is what the code builds. Whether it honours the shared
 * contract is checked by CI (`npm run contract`, in .ci/run), where the
 * contract lives beside the repository; a clone on its own has no contract to read.
 */
describe('src/schema/schema.graphql', () => {
  it('when the code-first schema is rendered, then it equals the committed file', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(staleness('src/schema/schema.graphql', committed, await renderSchema(), 'npm run schema:emit')).toBeNull();
  });
});
