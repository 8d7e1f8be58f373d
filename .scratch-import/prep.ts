import fs from 'node:fs';
import path from 'node:path';
import { seed, BRANCHES } from '../bench/import';
import { writeRosterXlsx } from '../bench/roster-data';
(async () => {
  const dir = '/tmp/imp/run';
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync('/tmp/imp/bench.xlsx')) await writeRosterXlsx({ rows: 100000, branches: BRANCHES.map((b, i) => (i % 2 ? b.replace('（', '(').replace('）', ')') : b)) }, '/tmp/imp/bench.xlsx');
  const id = await seed(`sqlite:${dir}/bench.sqlite`, dir);
  console.log(id);
})();
