import fs from 'node:fs';
import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
const buf = fs.readFileSync('/tmp/imp/bench.xlsx');
(async () => {
  let peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => { const m = process.memoryUsage(); for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]); };
  const t = Date.now(); let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit' });
  for await (const ws of reader) for await (const row of ws) { n++; if (n % 1000 === 0) sample(); }
  console.log(Date.now() - t, 'ms', Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 2 ** 20)])), 'maxrss', Math.round(process.resourceUsage().maxRSS / 1024));
})();
