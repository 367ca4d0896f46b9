import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOperationAST, parse, type DocumentNode } from 'graphql';
import {
  buildManifest,
  canonicalOperation,
  loadSafelist,
  operationHash,
  PERSISTED_OPERATIONS_FILE,
} from '../../../src/http/persisted-queries';
import { renderManifestFile } from '../../../tools/persisted-operations';
import * as generated from '../../generated/graphql';
import { staleness } from '../../support/generated-file';

const canonical = (text: string): string => {
  const document = parse(text);
  return canonicalOperation(document, getOperationAST(document)!);
};

describe('the persisted operation manifest', () => {
  const manifestFile = join(process.cwd(), PERSISTED_OPERATIONS_FILE);

  it('when compared with test/operations, then the committed persisted-operations.json is current', () => {
    const committed = readFileSync(manifestFile, 'utf8');
    const command = 'npm run build && node dist/tools/persisted-operations.js';
    expect(staleness(PERSISTED_OPERATIONS_FILE, committed, renderManifestFile(), command)).toBeNull();
  });

  it('when loaded, then every id is the sha256 of its body and every generated document is on the safelist', () => {
    const safelist = loadSafelist(manifestFile);
    const documents = Object.entries(generated).filter(([name]) => name.endsWith('Document')) as [string, DocumentNode][];
    expect(documents.length).toBeGreaterThan(20);
    for (const [name, document] of documents) {
      const operation = getOperationAST(document)!;
      expect({ name, listed: safelist.has(operationHash(canonicalOperation(document, operation))) }).toEqual({ name, listed: true });
    }
  });

  it('when two texts differ only in layout, comments and fragment order, then their canonical form is the same', () => {
    const a = `query Q { me { ...A ...B } } fragment A on Customer { id } fragment B on Customer { email }`;
    const b = `# a comment
      fragment B on Customer { email }
      query Q {
        me { ...A, ...B }
      }
      fragment A on Customer { id }`;
    expect(canonical(b)).toBe(canonical(a));
    expect(canonical(a.replace('email', 'role'))).not.toBe(canonical(a));
  });

  it('when an operation leaves a fragment of its document unused, then the fragment is not part of its canonical form', () => {
    const document = parse(`query Q { me { ...A } } query R { me { ...B } } fragment A on Customer { id } fragment B on Customer { email }`);
    expect(canonicalOperation(document, getOperationAST(document, 'Q')!)).toBe('query Q {\n  me {\n    ...A\n  }\n}\n\nfragment A on Customer {\n  id\n}');
  });

  it('when a manifest id does not match its body, or the file is missing, then the safelist refuses to load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillgate-manifest-'));
    const manifest = buildManifest(['query Q { me { id } }']);
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...manifest, operations: [{ ...manifest.operations[0], body: 'query Q { me { email } }' }] }));
    expect(() => loadSafelist(tampered)).toThrow(`${tampered}: the id of Q does not match its body`);
    expect(() => loadSafelist(join(dir, 'absent.json'))).toThrow(/^PERSISTED_QUERIES=only-for-partners needs .*absent\.json \(generate it: /);
    rmSync(dir, { recursive: true });
  });

  it('when operations are anonymous or share a name, then no manifest is built', () => {
    expect(() => buildManifest(['{ me { id } }'])).toThrow('Every persisted operation needs a name');
    expect(() => buildManifest(['query Q { me { id } }', 'query Q { me { email } }'])).toThrow('Two persisted operations are named Q');
  });
});
