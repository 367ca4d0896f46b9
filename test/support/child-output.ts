import type { ChildProcess } from 'node:child_process';

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
  const waitUntil = (test: (output: string) => boolean) =>
    (test(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve })));
  return {
    text: () => text,
    waitUntil,
    waitFor: (needle: string) => waitUntil((output) => output.includes(needle)),
  };
}

export const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
