import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/project-root';

export const ROOT = projectRoot();

export interface ScratchBuild {
  /** The scratch folder: the build lives in `build/`, anything else a test needs may go beside it. */
  dir: string;
  /** Absolute path of a compiled entry point, e.g. `entry('src/main.js')`. */
  entry(relative: string): string;
  remove(): void;
}

/**
 * Compiles the project the way `npm run build` does, but into an ignored
 * scratch folder under .tmp/, so a test never rewrites the dist/ that a running
 * `npm start` or benchmark is using.
 */
export function buildIntoScratch(prefix: string): ScratchBuild {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.tmp', `${prefix}-`));
  const out = join(dir, 'build');
  execFileSync(join(ROOT, 'node_modules', '.bin', 'swc'), ['src', 'tools', 'client/src', '-d', out, '--copy-files', '--config-file', '.swcrc'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  return {
    dir,
    entry: (relative) => join(out, relative),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
