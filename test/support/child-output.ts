import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './scratch-build';

/** Collects a child's output; `waitFor` resolves once the output contains `text`, `waitUntil` once it satisfies `test`. */
export function outputOf(child: ChildProcess) {
  let text = '';
  const waiters: { test: (output: string) => boolean; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters.filter((w) => w.test(text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitUntil = (test: (output: string) => boolean) => (test(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve })));
  return {
    text: () => text,
    waitUntil,
    waitFor: (needle: string) => waitUntil((output) => output.includes(needle)),
  };
}

export const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

/**
 * Runs a built entry point to its end with only PATH and `env` in its
 * environment (what an operator sets, nothing of the test's own), `stdin`
 * written to it; answers its exit code and its output, stdout and stderr together.
 */
export async function runToEnd(
  entry: string,
  env: Record<string, string>,
  options: { args?: string[]; stdin?: string } = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [entry, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = outputOf(child);
  const exited = exitOf(child);
  child.stdin!.end(options.stdin ?? '');
  const { code } = await exited;
  return { code, output: output.text() };
}
