/**
 * Writes persisted-operations.json (the partner safelist) from the project's own
 * operation documents, test/operations/**\/*.graphql:
 *   npm run build && node dist/tools/persisted-operations.js
 * A unit test fails when the committed file no longer matches the documents.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, PERSISTED_OPERATIONS_FILE } from '../src/http/persisted-queries';
import { projectRoot } from '../src/project-root';

export const OPERATIONS_DIR = join('test', 'operations');

/** The manifest file's exact text for the operation documents under `root`. */
export function renderManifestFile(root: string = projectRoot()): string {
  const dir = join(root, OPERATIONS_DIR);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.graphql')).sort();
  const manifest = buildManifest(files.map((file) => readFileSync(join(dir, file), 'utf8')));
  return JSON.stringify(manifest, null, 2) + '\n';
}

if (require.main === module) {
  const file = join(projectRoot(), PERSISTED_OPERATIONS_FILE);
  writeFileSync(file, renderManifestFile());
  console.log(`wrote ${file}`);
}
