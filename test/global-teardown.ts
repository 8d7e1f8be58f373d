import fs from 'node:fs';
import path from 'node:path';
import { demoSecrets, leaksIn } from './helpers/personal-data';

/**
 * Nothing personal in logs: scans every line the suite's systems logged (at debug level) for
 * the demo people's names, phones, codes and ID numbers, and for any valid ID number. A leak
 * fails the run, naming the file, the line's message and what leaked (never the value).
 */
export default function globalTeardown(): void {
  const dir = process.env.ZHTJ_TEST_LOG_DIR;
  if (!dir || !fs.existsSync(dir)) return;
  const secrets = demoSecrets();
  const leaks: string[] = [];
  let lines = 0;
  for (const file of fs.readdirSync(dir)) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      lines++;
      const found = leaksIn(line, secrets);
      if (found.length) {
        let msg = '';
        try {
          msg = String(JSON.parse(line).msg ?? '');
        } catch {
          msg = '(not JSON)';
        }
        leaks.push(`${file}: "${msg}" holds ${found.join(', ')}`);
      }
    }
  }
  if (!process.env.ZHTJ_KEEP_TEST_LOGS) fs.rmSync(dir, { recursive: true, force: true });
  if (leaks.length) throw new Error(`Personal data in ${leaks.length} of ${lines} log lines:\n${leaks.slice(0, 20).join('\n')}`);
  console.log(`\nLog scan: ${lines} log lines, no personal data.`);
}
