/**
 * For tests that compare a committed generated file with what the generator
 * renders now: null when they match, otherwise a message that says where they
 * part and which command regenerates the file.
 */
export function staleness(file: string, committed: string, rendered: string, command: string): string | null {
  if (committed === rendered) return null;
  const committedLines = committed.split('\n');
  const renderedLines = rendered.split('\n');
  let line = 0;
  while (committedLines[line] === renderedLines[line]) line += 1;
  return (
    `${file} is stale from line ${line + 1} (committed: ${JSON.stringify(committedLines[line] ?? '<end>')}, ` +
    `now: ${JSON.stringify(renderedLines[line] ?? '<end>')}): run \`${command}\` and commit the result`
  );
}
