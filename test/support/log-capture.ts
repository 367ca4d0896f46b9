/**
 * Every log line the process writes while `action` runs, whatever LOG_LEVEL the
 * test run has (silent by default): the logger reads the level at each write,
 * so lowering it for the duration is enough. The lines are still written by
 * the real logger, through its redaction.
 */
export async function captureLogLines(action: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const previousLevel = process.env.LOG_LEVEL;
  const capture = (chunk: unknown): boolean => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  process.env.LOG_LEVEL = 'debug';
  try {
    await action();
  } finally {
    if (previousLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = previousLevel;
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return lines;
}
