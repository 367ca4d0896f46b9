import { readFileSync, realpathSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getOperationAST, parse } from 'graphql';
import * as client from '../../../client/src';
import { loadConfig } from '../../../src/config';
import { canonicalOperation, loadSafelist, operationHash, persistedQuerySettings, safelistFile } from '../../../src/http/persisted-queries';
import { documentParseOptions } from '../../../src/http/request-limits';

const canonical = (text: string): string => {
  const document = parse(text);
  return canonicalOperation(document, getOperationAST(document)!);
};

/** The client package as a frontend installs it: through the workspace link, not a path into the repository. */
const clientPackageDir = () => dirname(realpathSync(require.resolve('@tillgate/client/package.json')));

const generatedDocuments = () => Object.entries(client).filter(([name]) => name.endsWith('Document')) as [string, client.TillgateDocument<unknown, unknown>][];

describe('the partner safelist is the client package manifest', () => {
  it('when the server loads its safelist, then the bytes are those of the client package manifest', () => {
    const server = loadSafelist();
    const packageManifest = readFileSync(join(clientPackageDir(), 'src', 'generated', 'persisted-documents.json'));
    expect(server.fileBytes.equals(packageManifest)).toBe(true);
    expect(server.fileBytes.length).toBeGreaterThan(1000);
  });

  it('when compared with the generated documents, then the hashes are exactly theirs, and the checkout and order documents are listed', () => {
    const server = loadSafelist();
    const documents = generatedDocuments();
    expect([...server.byHash.keys()].sort()).toEqual(documents.map(([, document]) => client.documentHash(document)).sort());
    for (const [name, document] of documents) {
      // The text the client sends (not only its hash) is the listed document, canonically.
      expect({ name, listed: server.byHash.has(operationHash(canonical(String(document)))) }).toEqual({ name, listed: true });
    }
    expect([...server.operationNames]).toEqual(
      expect.arrayContaining(['StartCheckout', 'ConfirmCheckout', 'OrderByToken', 'MyOrders', 'AttachCart', 'Products', 'LogIn']),
    );
  });

  it('when the manifest is read, then no admin operation is in it', () => {
    const adminOperations = readFileSync(join(process.cwd(), 'test', 'generated', 'graphql.ts'), 'utf8');
    const names = [...loadSafelist().operationNames];
    for (const admin of ['CreateProduct', 'SetStock', 'SetVariantPrice', 'CreateSeller', 'CreateVoucher', 'CreatePartner', 'IssuePartnerKey', 'Partners']) {
      expect(adminOperations).toContain(`export const ${admin}Document`);
      expect(names).not.toContain(admin);
    }
  });

  it('when two texts differ only in layout, comments, field order and fragment order, then their canonical form is the same', () => {
    const a = 'query Q { me { ...A ...B } } fragment A on Customer { id } fragment B on Customer { email }';
    const b = `# a comment
      fragment B on Customer { email }
      query Q {
        me { ...B, ...A }
      }
      fragment A on Customer { id }`;
    expect(canonical(b)).toBe(canonical(a));
    expect(canonical(a.replace('email', 'role'))).not.toBe(canonical(a));
    // A mutation's top-level fields run in order: that order is part of the document.
    expect(canonical('mutation M { b: logOut a: logOut }')).not.toBe(canonical('mutation M { a: logOut b: logOut }'));
  });

  it('when an operation leaves a fragment of its document unused, then the fragment is not part of its canonical form', () => {
    const document = parse('query Q { me { ...A } } query R { me { ...B } } fragment A on Customer { id } fragment B on Customer { email }');
    expect(canonicalOperation(document, getOperationAST(document, 'Q')!)).toBe('fragment A on Customer { id } query Q { me { ...A } }');
  });

  it('when MAX_QUERY_TOKENS is below a document of the manifest, then the server refuses to start with its name; the default admits every one', () => {
    expect(loadSafelist(safelistFile(), documentParseOptions({ maxTokens: loadConfig({}).maxQueryTokens })).byHash.size).toBe(generatedDocuments().length);
    expect(() => persistedQuerySettings(loadConfig({ MAX_QUERY_TOKENS: '100' }))).toThrow(
      /persisted-documents\.json: sha256:[0-9a-f]{64} cannot be parsed within the document limits \(MAX_QUERY_TOKENS\): Syntax Error: Document contains more (that|than) 100 tokens/,
    );
  });

  it('when a manifest hash does not match its document, or the file is missing, then the safelist refuses to load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillgate-manifest-'));
    try {
      const body = 'query Q { me { id } }';
      const tampered = join(dir, 'tampered.json');
      writeFileSync(tampered, JSON.stringify({ [`sha256:${operationHash(body)}`]: 'query Q { me { email } }' }));
      expect(() => loadSafelist(tampered)).toThrow(`${tampered}: sha256:${operationHash(body)} is not the sha256 of its document`);
      expect(() => loadSafelist(join(dir, 'absent.json'))).toThrow(/absent\.json is missing \(generate it: npm run codegen\)/);
      expect(safelistFile()).toBe(join(process.cwd(), 'client', 'src', 'generated', 'persisted-documents.json'));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
