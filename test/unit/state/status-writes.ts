/**
 * Finds code that writes a lifecycle status without going through the state
 * module (house rule 3, invariant 7):
 * - assignments: `x.status = …`, `x.status += …`, `x['status'] = …`;
 * - ORM updates: `nativeUpdate(Entity, where, { status … })` (status in the
 *   data argument; in the where clause it is a guard, which is fine);
 * - `em.assign(entity, { status … })` / `wrap(entity).assign({ status … })`
 *   (`Object.assign` builds GraphQL objects and is not a write);
 * - raw SQL: `update … set …, status = …` in any string or template literal.
 * Creating a row with its initial status (`create`, `insert`) is not a change.
 * Comments are ignored. Returns one `line: text` entry per offence.
 */
export function directStatusWrites(source: string): { line: number; text: string }[] {
  const { code, strings } = stripComments(source);
  const offences = new Map<number, string>();
  const report = (index: number) => {
    const line = code.slice(0, index).split('\n').length;
    offences.set(line, source.split('\n')[line - 1].trim());
  };

  for (const match of code.matchAll(/(\.status|\[['"]status['"]\])\s*[+-]?=(?!=)/g)) report(match.index!);
  for (const match of code.matchAll(/\bnativeUpdate\s*\(/g)) {
    const data = callArguments(code, match.index! + match[0].length)[2];
    if (data !== undefined && mentionsStatusKey(data)) report(match.index!);
  }
  for (const match of code.matchAll(/(\w+)?(\([^()]*\))?\s*\.assign\s*\(/g)) {
    if (match[1] === 'Object' && !match[2]) continue;
    const args = callArguments(code, match.index! + match[0].length);
    const data = args.length === 1 ? args : args.slice(1);
    if (data.some(mentionsStatusKey)) report(match.index!);
  }
  for (const literal of strings) {
    const setClause = /\bupdate\b[\s\S]*?\bset\b([\s\S]*?)(\bwhere\b|$)/i.exec(literal.text);
    if (setClause && /\bstatus\s*=/i.test(setClause[1])) report(literal.index);
  }
  return [...offences].sort(([a], [b]) => a - b).map(([line, text]) => ({ line, text }));
}

/** `status:` / `'status':` / a `status` shorthand as a key of an object literal. */
const mentionsStatusKey = (text: string): boolean => /(^|[{,\s])['"]?status['"]?\s*:/.test(text) || /[{,]\s*status\s*[,}]/.test(text);

/** Comments blanked (newlines kept, so indices and line numbers still match); string literals collected. */
function stripComments(source: string): { code: string; strings: { index: number; text: string }[] } {
  let code = '';
  const strings: { index: number; text: string }[] = [];
  for (let i = 0; i < source.length;) {
    const two = source.slice(i, i + 2);
    if (two === '//' || two === '/*') {
      const end = two === '//' ? source.indexOf('\n', i) : source.indexOf('*/', i + 2) + 2;
      const stop = end <= 1 || end === -1 ? source.length : end;
      code += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (source[i] === '"' || source[i] === "'" || source[i] === '`') {
      const quote = source[i];
      let j = i + 1;
      while (j < source.length && source[j] !== quote) j += source[j] === '\\' ? 2 : 1;
      strings.push({ index: i, text: source.slice(i + 1, j) });
      code += source.slice(i, j + 1);
      i = j + 1;
    } else {
      code += source[i++];
    }
  }
  return { code, strings };
}

/** The top-level, comma-separated arguments of the call whose "(" ends just before `start`. */
function callArguments(code: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = start; i < code.length; i++) {
    const char = code[i];
    if (char === '"' || char === "'" || char === '`') {
      let j = i + 1;
      while (j < code.length && code[j] !== char) j += code[j] === '\\' ? 2 : 1;
      current += code.slice(i, j + 1);
      i = j;
      continue;
    }
    if ('([{'.includes(char)) depth++;
    if (')]}'.includes(char)) {
      if (depth === 0) break;
      depth--;
    }
    if (char === ',' && depth === 0) {
      args.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) args.push(current);
  return args;
}
