import fs from 'node:fs';
import { workerSheetRows } from '../server/services/roster-import/worker-rows';
import { sheetRows } from '../server/services/roster-import/sheet-rows';
(async () => {
  const buffer = fs.readFileSync('/tmp/imp/bench.xlsx');
  const gen = process.argv[2] === 'w' ? workerSheetRows : sheetRows;
  const t = Date.now(); let n = 0; let first = 0;
  for await (const r of gen({ buffer, fileName: 'a.xlsx' })) { if (!n) first = Date.now() - t; n++; }
  console.log(process.argv[2], n, 'first', first, 'total', Date.now() - t, 'maxrss', process.resourceUsage().maxRSS >> 10);
})();
