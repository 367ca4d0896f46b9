import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ROOT, type ScratchBuild } from './scratch-build';
import { TEST_ADMIN } from './test-app';

/**
 * Starts the build's gateway (`src/main.js`) as a real process on `port`,
 * with the test admin, info logs and `env` — and none of the test's own
 * environment, so a setting the test runner happens to have cannot leak in.
 * Its stdout and stderr are piped for `outputOf`.
 */
export function spawnBuiltGateway(build: ScratchBuild, port: number, env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [build.entry('src/main.js')], {
    cwd: ROOT,
    stdio: 'pipe',
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      LOG_LEVEL: 'info',
      ...env,
    },
  });
}
