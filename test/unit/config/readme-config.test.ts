import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import { projectRoot } from '../../../src/project-root';

const ROOT = projectRoot();
const SETTING = /^[A-Z][A-Z0-9_]*$/;

/** The settings README.md's configuration table documents: the backticked names in each row's first cell. */
export function documentedSettings(readme: string): Set<string> {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration\n')) ?? '';
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    for (const match of line.split('|')[1].matchAll(/`([^`]+)`/g)) {
      if (SETTING.test(match[1])) names.add(match[1]);
    }
  }
  return names;
}

/**
 * Every variable loadConfig asks the environment for, recorded through a proxy,
 * over environments that take each branch that reads more (the embedded
 * default; PostgreSQL with Stripe).
 */
function settingsReadByLoadConfig(): Set<string> {
  const environments: Record<string, string>[] = [
    {},
    {
      DATABASE_URL: 'postgres://tillgate@localhost:5432/tillgate',
      AUTH_SECRET: 'a'.repeat(32),
      STRIPE_SECRET_KEY: 'sk_test_readme',
      STRIPE_WEBHOOK_SECRET: 'whsec_readme',
    },
  ];
  const read = new Set<string>();
  for (const environment of environments) {
    loadConfig(
      new Proxy(environment, {
        get(target, key) {
          if (typeof key === 'string' && SETTING.test(key)) read.add(key);
          return Reflect.get(target, key);
        },
      }),
    );
  }
  return read;
}

/** The configuration's source files: src/config.ts, and src/config/ once it is split into several. */
function configSources(): string[] {
  const files = [join(ROOT, 'src/config.ts')].filter((file) => existsSync(file));
  const folder = join(ROOT, 'src/config');
  if (existsSync(folder)) {
    for (const entry of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
      if (entry.endsWith('.ts')) files.push(join(folder, entry));
    }
  }
  return files;
}

/** Names the sources read in a branch the environments above may not take: `env.NAME`, `env['NAME']`, `(env, 'NAME'`. */
export function settingsNamedIn(source: string): Set<string> {
  const names = new Set<string>();
  const reads = /\benv(?:\.|\[\s*['"`])([A-Z][A-Z0-9_]*)|\(\s*env\s*,\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g;
  for (const match of source.matchAll(reads)) names.add(match[1] ?? match[2]);
  return names;
}

describe('README.md documents every setting (issue 19)', () => {
  const documented = documentedSettings(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const readByCode = new Set([...settingsReadByLoadConfig(), ...configSources().flatMap((file) => [...settingsNamedIn(readFileSync(file, 'utf8'))])]);

  it('when the sources are scanned, then the usual ways of reading a setting are found', () => {
    expect([...settingsNamedIn("env.DATA_DIR; env['LOG_LEVEL']; read(env, 'PORT', parse, 1); listOf(env, \"ALLOWED_ORIGINS\")")]).toEqual([
      'DATA_DIR',
      'LOG_LEVEL',
      'PORT',
      'ALLOWED_ORIGINS',
    ]);
    expect([...settingsNamedIn("environment.PORT; read(other, 'PORT'); const name = 'PORT'")]).toEqual([]);
  });

  it('when the table is read, then a row naming several settings documents each of them', () => {
    const readme =
      '# T\n## Configuration\n| name | default | meaning |\n|---|---|---|\n| `A_ONE`, `A_TWO` | `DEFAULT_NAME` | `x` |\n## Next\n| `NOT_CONFIG` | — | — |\n';
    expect([...documentedSettings(readme)]).toEqual(['A_ONE', 'A_TWO']);
  });

  it('when loadConfig reads a setting, then the README configuration table has a row for it', () => {
    expect(readByCode).toContain('DATABASE_URL');
    expect(readByCode).toContain('DATABASE_PREPARED_STATEMENTS');
    expect([...readByCode].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });

  it('when the README configuration table has a row, then loadConfig reads that setting', () => {
    expect(documented.size).toBeGreaterThan(0);
    expect([...documented].filter((name) => !readByCode.has(name)).sort()).toEqual([]);
  });
});
