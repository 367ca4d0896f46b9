import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectRoot } from '../../../src/project-root';
import PGBOUNCER_PATHS from '../../../tools/pgbouncer-paths.json';

/** Loads jest.config.js in a fresh process: what it prints, and the projects it runs. */
function loadJestConfig(env: NodeJS.ProcessEnv): { printed: string; projects: string[] } {
  const script = 'const { projects } = require("./jest.config.js"); process.stderr.write(JSON.stringify(projects.map((p) => p.displayName)));';
  const result = spawnSync(process.execPath, ['-e', script], { cwd: projectRoot(), encoding: 'utf8', env: { ...process.env, ...env } });
  return { printed: result.stdout.trim(), projects: JSON.parse(result.stderr) as string[] };
}

/**
 * PgBouncer is not on npm: on a machine without it `npm test` runs every other
 * project and prints one line saying the pgbouncer project is left out; with
 * it (CI installs it) the project runs.
 */
describe('the pgbouncer project in jest.config.js', () => {
  it('when the machine has no PgBouncer, then the project is left out and one line says so', () => {
    const { printed, projects } = loadJestConfig({ TILLGATE_TEST_IGNORE_SYSTEM_BINARIES: '1' });

    expect(projects).toEqual(['unit', 'libsql', 'postgresql']);
    expect(printed).toBe(
      `pgbouncer not found (${PGBOUNCER_PATHS.join(', ')}): the pgbouncer project is left out of this run (apt-get install -y pgbouncer runs it)`,
    );
  });

  it('when the machine has PgBouncer, then the project runs and nothing is printed', () => {
    const installed = PGBOUNCER_PATHS.some((path) => existsSync(path));

    const { printed, projects } = loadJestConfig({ TILLGATE_TEST_IGNORE_SYSTEM_BINARIES: '' });

    expect({ printed, projects }).toEqual(
      installed
        ? { printed: '', projects: ['unit', 'libsql', 'postgresql', 'pgbouncer'] }
        : expect.objectContaining({ projects: ['unit', 'libsql', 'postgresql'] }),
    );
  });
});
