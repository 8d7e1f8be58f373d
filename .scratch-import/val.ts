import fs from 'node:fs';
import { openRoster } from '../server/services/roster-import/reader';
import { validateRow } from '../server/services/roster-import/validate-row';
import { parseIdCell, parseName, parsePhone, parseRole, parseEducation, parseEthnicity, parsePostTitle } from '../server/services/roster-import/values';
import { parseDate } from '../server/services/roster-import/dates';
import { normaliseOrgName } from '../server/services/org-names';
import { cellText } from '../server/services/roster-import/cells';
import { BRANCHES } from '../bench/import';
(async () => {
  const { rows } = await openRoster({ buffer: fs.readFileSync('/tmp/imp/bench.xlsx'), fileName: 'a.xlsx' }, { maxRows: 100000 });
  const all: any[] = [];
  for await (const r of rows) all.push(r);
  const branches = new Map(BRANCHES.map((n, i) => [normaliseOrgName(n), { id: i + 1, fullName: n }]));
  const time = (label: string, fn: (r: any) => unknown) => { const t = process.hrtime.bigint(); for (const r of all) fn(r); console.log(label.padEnd(12), (Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)); };
  for (let k = 0; k < 2; k++) {
    const ctx = { branchByName: (key: string) => branches.get(key), suggest: () => [], seenIds: new Map<string, number>(), today: '2026-11-25' };
    time('validateRow', (r) => validateRow(r, ctx));
    time('id', (r) => parseIdCell(r.cells.idNumber, new Date('2026-11-25T00:00:00Z')));
    time('name', (r) => parseName(r.cells.name));
    time('phone', (r) => parsePhone(r.cells.phone));
    time('role', (r) => parseRole(r.cells.role));
    time('edu', (r) => parseEducation(r.cells.education));
    time('eth', (r) => parseEthnicity(r.cells.ethnicity));
    time('post', (r) => parsePostTitle(r.cells.postTitle));
    time('date', (r) => parseDate(r.cells.joinedAt, { today: '2026-11-25', label: '入团时间' }));
    time('branchkey', (r) => normaliseOrgName(cellText(r.cells.branchFullName)));
    time('seen', (r) => ctx.seenIds.set(r.cells.idNumber, 1));
  }
})();
