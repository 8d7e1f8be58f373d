import fs from 'node:fs';
import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { openRoster } from '../server/services/roster-import/reader';
import { inspectXlsx } from '../server/services/roster-import/zip-guard';
import { validateRow } from '../server/services/roster-import/validate-row';
import { normaliseOrgName } from '../server/services/org-names';
const buf = fs.readFileSync('/tmp/imp/100k.xlsx');
async function bare() {
  const t = Date.now(); let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit' });
  for await (const ws of reader) for await (const row of ws) { const v = row.values; n++; }
  console.log('bare read', Date.now() - t, n);
}
async function guard() { const t = Date.now(); console.log(await inspectXlsx(buf), 'guard', Date.now() - t); }
async function ours(validate: boolean) {
  const t = Date.now(); let n = 0;
  const { rows } = await openRoster({ buffer: buf, fileName: 'a.xlsx' }, { maxRows: 100000 });
  const branches = new Map(['共青团宁夏大学（筹）信息工程学院2023级1班团支部','共青团宁夏大学信息工程学院2023级2班团支部','B3团支部','B4团支部','B5团支部'].map((n, i) => [normaliseOrgName(n), { id: i + 1, fullName: n }]));
  const ctx = { branchByName: (k: string) => branches.get(k), suggest: () => [], seenIds: new Map<string, number>() };
  let bad = 0;
  for await (const row of rows) { n++; if (validate) { const r = validateRow(row, ctx); if (!r.ok) { bad++; if (bad < 3) console.log(r.errors); } } }
  console.log('ours', validate, Date.now() - t, n, bad);
}
(async () => { const m = process.argv[2]; if (m === 'bare') await bare(); if (m === 'guard') await guard(); if (m === 'read') await ours(false); if (m === 'val') await ours(true);
 console.log('maxrss MB', process.resourceUsage().maxRSS / 1024); })();
