/**
 * BENCH_BASELINE=<git ref>: that revision, built in a temporary git worktree,
 * so that it runs back to back with the working tree in one bench run on one
 * (noisy, shared) machine and the ratios compare like with like.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Build } from './server';

const BUILD_TIMEOUT_MS = 10 * 60_000;

export interface BaselineBuild extends Build {
  remove(): void;
}

function git(repo: string, args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** "fb245c7" or "fb245c7 + uncommitted changes": what the working-tree column measures. */
export function describeWorkingTree(repo: string): string {
  try {
    const head = git(repo, ['rev-parse', '--short', 'HEAD']);
    const dirty = git(repo, ['status', '--porcelain', '--untracked-files=no']) !== '';
    return `working tree (${head}${dirty ? ' + changes' : ''})`;
  } catch {
    return 'working tree';
  }
}

/**
 * The ref's own build script, so a revision that builds differently still
 * builds right. Only its steps that run swc are needed to serve (a later step
 * such as emit-schema only rewrites the worktree's schema file); a script
 * without swc runs whole.
 */
function buildCommands(root: string): string[] {
  const script: string | undefined = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts?.build;
  if (!script) return ['swc src tools -d dist --copy-files --config-file .swcrc'];
  const steps = script.split('&&').map((step) => step.trim());
  const swcSteps = steps.filter((step) => /^swc\s/.test(step));
  return swcSteps.length > 0 ? swcSteps : [script];
}

export function prepareBaseline(repo: string, ref: string): BaselineBuild {
  const commit = git(repo, ['rev-parse', '--short', `${ref}^{commit}`]);
  const root = mkdtempSync(join(tmpdir(), 'tillgate-baseline-'));
  let added = false;
  const remove = () => {
    if (added) {
      try {
        git(repo, ['worktree', 'remove', '--force', root]);
      } catch (error) {
        console.error(`  could not remove the baseline worktree ${root}: ${(error as Error).message}`);
      }
      added = false;
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    console.log(`Building baseline ${ref} (${commit}) in a temporary worktree ${root}`);
    git(repo, ['worktree', 'add', '--detach', root, commit]);
    added = true;
    // Today's dependencies: installing the ref's own would take minutes and the network.
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
    for (const command of buildCommands(root)) {
      const result = spawnSync('sh', ['-c', command], {
        cwd: root,
        encoding: 'utf8',
        timeout: BUILD_TIMEOUT_MS,
        // As npm run would: the package binaries (swc) first on PATH.
        env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
      });
      if (result.status !== 0) throw new Error(`baseline build step "${command}" failed (${result.status}): ${result.stderr || result.stdout}`);
    }
    if (!existsSync(join(root, 'dist', 'src', 'main.js'))) throw new Error(`baseline ${ref} built no dist/src/main.js`);
    return { label: commit, root, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
