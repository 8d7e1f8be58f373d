import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Every log line the suite's systems write goes to files here; the teardown scans them for personal data. */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhtj-test-logs-'));
  process.env.ZHTJ_TEST_LOG_DIR = dir;
}
