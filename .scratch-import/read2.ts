import fs from 'node:fs';
import { openRoster } from '../server/services/roster-import/reader';
import { validateRow } from '../server/services/roster-import/validate-row';
import { normaliseOrgName } from '../server/services/org-names';
import { BRANCHES } from '../bench/import';
const buf = fs.readFileSync('/tmp/imp/bench.xlsx');
(async () => {
  const keep = process.argv[2] === 'keep';
  const t = Date.now(); let n = 0;
  const { rows } = await openRoster({ buffer: buf, fileName: 'a.xlsx' }, { maxRows: 100000 });
  const branches = new Map(BRANCHES.map((n, i) => [normaliseOrgName(n), { id: i + 1, fullName: n }]));
  const ctx = { branchByName: (k: string) => branches.get(k), suggest: () => [], seenIds: new Map<string, number>() };
  const kept: unknown[] = [];
  for await (const row of rows) { n++; const r = validateRow(row, ctx); if (!r.ok) throw new Error(JSON.stringify(r.errors)); if (keep) kept.push(r.value); }
  const ms = Date.now() - t;
  const mu = process.memoryUsage();
  console.log(process.argv[2], ms, 'ms', 'maxrss', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'heapUsed', (mu.heapUsed / 2 ** 20).toFixed(0), 'heapTotal', (mu.heapTotal / 2 ** 20).toFixed(0));
  if ((global as any).gc) { (global as any).gc(); console.log('after gc heapUsed', (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)); }
})();
