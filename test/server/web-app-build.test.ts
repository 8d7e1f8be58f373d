import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sourceHash, WEB_APP_DIR, webAppStale } from '../../server/http/web-app-build';

/** A copy of the web app's sources with a build stamp, to change without touching the real ones. */
function copyOfSources(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-webapp-'));
  fs.cpSync(path.join(WEB_APP_DIR, 'src'), path.join(dir, 'src'), { recursive: true });
  for (const f of ['index.html', 'vite.config.mts']) fs.copyFileSync(path.join(WEB_APP_DIR, f), path.join(dir, f));
  return dir;
}

describe('R22 npm start builds the web app when its output is missing or stale', () => {
  it('missing output is stale; a stamp of the current sources is not; any change to a source makes it stale again', () => {
    const dir = copyOfSources();
    try {
      expect(webAppStale(dir)).toBe(true);
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html>');
      fs.writeFileSync(path.join(dir, 'dist', '.source-hash'), sourceHash(dir));
      expect(webAppStale(dir)).toBe(false);
      fs.appendFileSync(path.join(dir, 'src', 'format.ts'), '\n// edited\n');
      expect(webAppStale(dir)).toBe(true);
      fs.writeFileSync(path.join(dir, 'dist', '.source-hash'), sourceHash(dir));
      expect(webAppStale(dir)).toBe(false);
      fs.writeFileSync(path.join(dir, 'src', 'pages', 'NewPage.vue'), '<template><div /></template>\n');
      expect(webAppStale(dir)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
