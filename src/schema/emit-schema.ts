/** Writes src/schema/schema.graphql from the code-first schema: the last part of `npm run build` (and so of `npm start`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { projectRoot } from '../project-root';
import { buildTillgateSchema } from './build-schema';

export const SCHEMA_FILE = join(projectRoot(), 'src', 'schema', 'schema.graphql');

export const SCHEMA_HEADER = '# Emitted by the build (`npm run build`, `npm run schema:emit`) from the code-first schema. Do not edit by hand.\n\n';

export async function renderSchema(): Promise<string> {
  return SCHEMA_HEADER + printSchema(await buildTillgateSchema()) + '\n';
}

if (require.main === module) {
  renderSchema()
    .then((sdl) => {
      writeFileSync(SCHEMA_FILE, sdl);
      console.log(`wrote ${SCHEMA_FILE}`);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
