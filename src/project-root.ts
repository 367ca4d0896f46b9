import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The nearest directory above `from` that holds package.json. The same answer
 * from src/... (tests) and dist/src/... (the build), whatever the working directory.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
