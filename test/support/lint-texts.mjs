/**
 * Lints texts as if they were files, with the project's eslint.config.mjs, and prints each one's
 * problems as JSON. Run as a child process: ESLint loads its config by dynamic import, which Jest's
 * module sandbox does not allow. Input on stdin: { cwd, overrideConfig, texts: [{ path, code }] };
 * nothing is written to disk.
 */
import { ESLint } from 'eslint';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { cwd, overrideConfig, texts } = JSON.parse(input);
const eslint = new ESLint({ cwd, overrideConfig });
const results = [];
for (const { path, code } of texts) {
  const [result] = await eslint.lintText(code, { filePath: path });
  results.push(result.messages.map((message) => ({ line: message.line, rule: message.ruleId, message: message.message })));
}
process.stdout.write(JSON.stringify(results));
