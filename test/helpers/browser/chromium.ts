import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import * as tar from 'tar';
import { cjkFontDir } from '../../../server/lib/cjk-font';

/**
 * The test browser, from the npm registry: @sparticuz/chromium ships a headless Chromium and the
 * few libraries a bare Debian lacks (NSS, NSPR, expat) inside the package, brotli-compressed, so
 * `npm ci` alone brings it (no download at install). Only its files are used, not its script:
 * that unpacks the libraries only on AWS Lambda, and into a shared folder it never refreshes.
 */
export interface TestChromium {
  executablePath: string;
  /** Environment the binary needs: its libraries, and a fontconfig that knows a Chinese font. */
  env: Record<string, string>;
}

function packageDir(): { dir: string; version: string } {
  let dir = path.dirname(require.resolve('@sparticuz/chromium'));
  while (!fs.existsSync(path.join(dir, 'bin', 'chromium.br'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('@sparticuz/chromium has no bin/chromium.br: run npm ci');
    dir = up;
  }
  return { dir, version: (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version };
}

/** The binary and its libraries, unpacked once per package version; a folder renamed into place, so parallel test workers never see half of it. */
async function unpacked(): Promise<string> {
  const pkg = packageDir();
  const target = path.join(os.tmpdir(), `zhtj-chromium-${pkg.version}`);
  if (fs.existsSync(path.join(target, 'chromium'))) return target;
  const temporary = fs.mkdtempSync(`${target}.tmp-`);
  try {
    await pipeline(
      fs.createReadStream(path.join(pkg.dir, 'bin', 'chromium.br')),
      zlib.createBrotliDecompress(),
      fs.createWriteStream(path.join(temporary, 'chromium'), { mode: 0o755 }),
    );
    await pipeline(fs.createReadStream(path.join(pkg.dir, 'bin', 'al2023.tar.br')), zlib.createBrotliDecompress(), tar.x({ cwd: temporary }));
    fs.renameSync(temporary, target);
  } catch (err) {
    fs.rmSync(temporary, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'chromium'))) throw err; // another worker won the race: use its copy
  }
  return target;
}

/**
 * A fontconfig of our own that lists the project's Noto Sans SC (TrueType, made from the
 * @fontsource files): without it a machine with no fonts shows every letter blank.
 */
async function fontConfig(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'zhtj-chromium-fontconfig');
  fs.mkdirSync(dir, { recursive: true });
  const fonts = await Promise.all([cjkFontDir(400), cjkFontDir(700)]);
  const conf = `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>${fonts.map((f) => `<dir>${f}</dir>`).join('')}<cachedir>${dir}/cache</cachedir></fontconfig>\n`;
  const file = path.join(dir, 'fonts.conf');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== conf) {
    fs.writeFileSync(`${file}.${process.pid}`, conf);
    fs.renameSync(`${file}.${process.pid}`, file);
  }
  return dir;
}

/** The npm-shipped Chromium, ready to launch. */
export async function testChromium(): Promise<TestChromium> {
  const [dir, fontconfig] = await Promise.all([unpacked(), fontConfig()]);
  return { executablePath: path.join(dir, 'chromium'), env: { LD_LIBRARY_PATH: path.join(dir, 'lib'), FONTCONFIG_PATH: fontconfig } };
}
