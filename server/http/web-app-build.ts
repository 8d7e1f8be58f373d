import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The web app's sources (Vue + Vant, built by Vite) and where the build goes. */
export const WEB_APP_DIR = path.join(__dirname, 'webapp');
export const WEB_APP_DIST = path.join(WEB_APP_DIR, 'dist');
const STAMP_NAME = '.source-hash';
const ROOT = path.resolve(__dirname, '../..');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

/** A hash of everything the build reads: the sources, the config and the locked package versions. */
export function sourceHash(dir = WEB_APP_DIR): string {
  const hash = crypto.createHash('sha256');
  const inputs = [...filesUnder(path.join(dir, 'src')), ...['index.html', 'vite.config.mts'].map((f) => path.join(dir, f))].sort();
  for (const file of [...inputs, path.join(ROOT, 'package-lock.json')])
    hash.update(path.relative(dir, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** True when the build in `dir`/dist is missing or older than its sources. */
export function webAppStale(dir = WEB_APP_DIR): boolean {
  try {
    return fs.readFileSync(path.join(dir, 'dist', STAMP_NAME), 'utf8').trim() !== sourceHash(dir) || !fs.existsSync(path.join(dir, 'dist', 'index.html'));
  } catch {
    return true;
  }
}

/**
 * Builds the web app when its output is missing or stale (`npm start` and the browser tests
 * call this; `npm run build:app` forces it). Vite runs as its own process: it is ESM-only and
 * the build should not share the server's memory.
 */
export function ensureWebAppBuilt(opts: { force?: boolean; log?: (line: string) => void } = {}): boolean {
  if (!opts.force && !webAppStale()) return false;
  const hash = sourceHash();
  opts.log?.('building the web app (server/http/webapp) with Vite…');
  // vite's package exports hide its bin: found next to its package.json.
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [ROOT] })), 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', path.join(WEB_APP_DIR, 'vite.config.mts'), '--logLevel', opts.log ? 'info' : 'warn'], {
    cwd: ROOT,
    stdio: opts.log ? 'inherit' : 'pipe',
    // Production whatever the caller runs as (jest sets NODE_ENV=test, which would bundle Vue's development build).
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (run.status !== 0) throw new Error(`The web app's build failed (exit ${run.status}):\n${run.stderr?.toString() ?? ''}${run.stdout?.toString() ?? ''}`);
  precompress();
  fs.writeFileSync(path.join(WEB_APP_DIST, STAMP_NAME), hash);
  return true;
}

/** Each text file next to its gzip (koa-send serves the .gz to clients that take it). */
function precompress(): void {
  for (const file of filesUnder(WEB_APP_DIST)) {
    if (/\.(js|css|html|svg|json)$/.test(file)) fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
  }
}

if (require.main === module) {
  try {
    const built = ensureWebAppBuilt({ force: process.argv.includes('--force'), log: (l) => console.log(l) });
    if (!built) console.log('web app is up to date (server/http/webapp/dist)');
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
