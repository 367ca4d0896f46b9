/** A password that cannot be read as given: the command stops with this line and changes nothing. */
export class PasswordInputError extends Error {
  override name = 'PasswordInputError';
}

/** Far above any valid password (at most 200 characters): input past this is not a password. */
const MAX_PIPED_BYTES = 64 * 1024;

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = ['\u007f', '\b'];

/**
 * A password from stdin, never echoed. Piped (`… < file`, a secret store,
 * a test): the first line. At a terminal: typed twice with echo off, so a
 * typo never becomes the password.
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return firstLine(await readPiped(process.stdin));
  const password = await readHidden(prompt);
  if ((await readHidden('Type it again: ')) !== password) throw new PasswordInputError('The two passwords differ.');
  return password;
}

async function readPiped(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_PIPED_BYTES) throw new PasswordInputError('stdin holds more than a password.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].replace(/\r$/, '');
  if (line === '') throw new PasswordInputError('No password on stdin: pipe it in, e.g. `npm run admin -- --email you@example.com < password-file`.');
  return line;
}

/** Raw mode: each key arrives as typed and nothing is echoed; Enter ends, Backspace takes one back, Ctrl-C aborts. */
function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (keys: string) => {
      for (const key of keys) {
        if (key === CTRL_C) return finish(() => reject(new PasswordInputError('Stopped.')));
        if (key === '\r' || key === '\n' || (key === CTRL_D && typed === '')) return finish(() => resolve(typed));
        if (BACKSPACE.includes(key)) typed = typed.slice(0, -1);
        else typed += key;
      }
    };
    input.on('data', onData);
  });
}
