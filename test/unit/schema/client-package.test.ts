import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MeDocument, StartCheckoutDocument, type TillgateClient } from '../../../client/src';

const ROOT = process.cwd();

/**
 * Type checks that `npx tsc --noEmit` makes (this function never runs): the
 * generated documents carry their variables and results from the schema.
 */
export function typeChecks(client: TillgateClient): void {
  // @ts-expect-error startCheckout needs its input.
  void client.request(StartCheckoutDocument);
  // @ts-expect-error its input needs the cart id.
  void client.request(StartCheckoutDocument, { input: {} });
  void client.request(MeDocument).then((data) => {
    // @ts-expect-error me has no field password.
    void data.me?.password;
  });
}

describe('the client package (client/)', () => {
  it('when it is built on its own with its tsconfig, then it emits JavaScript and declarations that work without the repository', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tillgate-client-'));
    try {
      const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
      const outcome = await promisify(execFile)(tsc, ['-p', 'client/tsconfig.json', '--outDir', out], { cwd: ROOT, timeout: 120_000 }).then(
        () => 'built',
        (failure: { stdout?: string; stderr?: string }) => `failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`,
      );
      expect(outcome).toBe('built');
      expect(['index.js', 'index.d.ts', 'client.d.ts', 'generated/graphql.d.ts'].filter((file) => !existsSync(join(out, file)))).toEqual([]);
      const built = await import(join(out, 'index.js'));
      const manifest = JSON.parse(readFileSync(join(ROOT, 'client', 'src', 'generated', 'persisted-documents.json'), 'utf8'));
      expect(typeof built.createTillgateClient).toBe('function');
      expect(manifest[`sha256:${built.documentHash(built.StartCheckoutDocument)}`]).toContain('mutation StartCheckout(');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
