/**
 * The fee reports' SQL (member-fees-sql.ts) against the member's statement in TypeScript, the
 * reference: random small subtrees with random members, categories, wages, standards,
 * payments and reversals; the summary, the owing order, the reminder's query and the export
 * must equal what summing each member's own statement gives.
 */
import * as ExcelJS from 'exceljs';
import { FeePayment, FeeProfile, FeeStandard, FeeStandardBand } from '../../../models';
import { random } from '../../../bench/random';
import { makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { buildOrg, buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';
import type { FeeTotals, MemberFees } from '../../../server/services/fees/reports';
import type { YearStatement } from '../../../server/services/fees/statement';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄丽', '周杰', '吴昊', '阿依古丽', '欧阳娜娜'];
const CATEGORIES = ['student', 'unemployed', 'relief', 'wage', 'wage', 'retired'];

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const month = (year: number, n: number) => `${year}-${String(n).padStart(2, '0')}`;

/** A subtree of random members: a committee, organisations below it (one of them a branch with members of its own), branches below those. */
async function randomSubtree(r: Rand, tag: string, year: number) {
  const root = await buildOrg(sys, { fullName: `共青团随机${tag}委员会`, kind: 'committee' });
  const admin = await makeAdmin(sys, root.id, `随机管理${tag}`);
  const branches = [];
  const middles = [];
  for (let i = 0; i < 3; i++) {
    const middle = await buildOrg(sys, { parentId: root.id, fullName: `共青团随机${tag}下级${i}委员会`, kind: i === 2 ? 'branch' : 'committee' });
    middles.push(middle);
    if (i === 2) branches.push(middle);
    else for (let j = 0; j < 2; j++) branches.push(await buildOrg(sys, { parentId: middle.id, fullName: `共青团随机${tag}下级${i}支部${j}`, kind: 'branch' }));
  }
  // Members of the root itself: the summary's direct line.
  branches.push(root);
  const people = [];
  for (let i = 0; i < 24; i++) {
    const role = r() < 0.1 ? 'applicant' : r() < 0.2 ? 'cadre' : 'member';
    const { person } = await buildPerson(sys, { name: pick(r, NAMES), branchId: pick(r, branches).id, role });
    people.push(person);
    const created =
      r() < 0.5 ? new Date(Date.UTC(year - 1, 5, 1)) : new Date(Date.UTC(year, Math.floor(r() * 13), 1) - (r() < 0.5 ? 8 * 3_600_000 : -3_600_000));
    const joined = pick(r, [null, `${year - 3}-09-01`, `${month(year, 1 + Math.floor(r() * 12))}-15`, `${year + 1}-01-01`, '不详', `${year}-00-01`]);
    await sys.db.sequelize.query('UPDATE people SET created_at = :created, joined_league_at = :joined WHERE id = :id', {
      replacements: { created, joined, id: person.id },
    });
    for (let k = Math.floor(r() * 4); k > 0; k--) {
      const category = pick(r, CATEGORIES);
      const validFrom = pick(r, [`${year - 1}-03`, month(year, 1 + Math.floor(r() * 12)), month(year, 4), `${year + 1}-02`]);
      const wageFen = category === 'wage' ? pick(r, [null, 150_000, 200_000, 249_900, 500_000, 1_500_000, 99_000_000]) : null;
      await FeeProfile.create({
        personId: person.id,
        validFrom,
        category,
        wageFen,
        status: pick(r, ['confirmed', 'confirmed', 'confirmed', 'declared', 'rejected'] as const),
        setByPersonId: admin.person.id,
        decidedByPersonId: admin.person.id,
      });
    }
    for (let k = Math.floor(r() * 4); k > 0; k--) {
      const from = 1 + Math.floor(r() * 12);
      const to = Math.min(12, from + Math.floor(r() * 4));
      const y = r() < 0.15 ? year - 1 : year;
      const paid = await FeePayment.create({
        personId: person.id,
        orgId: root.id,
        year: y,
        fromMonth: month(y, from),
        toMonth: month(y, to),
        amountFen: Math.floor(r() * 3000),
        reversesId: null,
        source: 'chat',
        recordedByPersonId: admin.person.id,
      });
      if (r() < 0.25) await FeePayment.create({ ...paid.get(), id: undefined, amountFen: -paid.amountFen, reversesId: paid.id, note: '录错' } as never);
    }
  }
  return { root, middles, admin, people };
}

// The reference: the report as it was computed in memory, from each member's own statement.
const empty = (): FeeTotals => ({ members: 0, dueFen: 0, paidFen: 0, owedFen: 0, owing: 0, uncategorised: 0 });
function add(t: FeeTotals, s: YearStatement): void {
  t.members += 1;
  t.paidFen += s.paidFen;
  if (s.dueFen === null || s.owedFen === null) {
    t.uncategorised += 1;
    return;
  }
  t.dueFen += s.dueFen;
  t.owedFen += s.owedFen;
  if (s.owedMonths.length) t.owing += 1;
}
const byOwed = (a: MemberFees, b: MemberFees) =>
  (b.statement.owedFen ?? -1) - (a.statement.owedFen ?? -1) || a.payer.name.localeCompare(b.payer.name, 'zh') || a.payer.id - b.payer.id;

async function reference(path: string, children: Array<{ id: number; path: string }>, asOf: Date) {
  const members: MemberFees[] = [];
  for (const payer of await sys.services.fees.payers.under(path)) {
    const own = await sys.services.fees.own(payer.id, asOf);
    if (!own.ok) throw new Error('a payer without a statement');
    members.push({ payer, statement: own.statement });
  }
  const totals = empty();
  const byChild = new Map(children.map((c) => [c.id, empty()]));
  let direct: FeeTotals | null = null;
  for (const m of members) {
    add(totals, m.statement);
    const child = children.find((c) => m.payer.branchPath.startsWith(c.path));
    if (child) add(byChild.get(child.id)!, m.statement);
    else add((direct ??= empty()), m.statement);
  }
  // Most owed first, then by person id; each page of 10 then by name (pinyin) within one amount.
  const byId = members
    .filter((m) => m.statement.owedMonths.length > 0)
    .sort((a, b) => (b.statement.owedFen ?? -1) - (a.statement.owedFen ?? -1) || a.payer.id - b.payer.id);
  const owing = Array.from({ length: Math.ceil(byId.length / 10) }, (_, i) => byId.slice(i * 10, i * 10 + 10).sort(byOwed)).flat();
  const sheetOrder = [...members].sort((a, b) => a.payer.branchPath.localeCompare(b.payer.branchPath) || a.payer.name.localeCompare(b.payer.name, 'zh'));
  return { totals, byChild, direct, owing, sheetOrder };
}

async function addStandards(year: number) {
  // A correction from the middle of the year for students, two from the same month (the later wins), a wage standard with other bands.
  for (const [validFrom, bands] of [
    [month(year, 6), [{ category: 'student', wageFromFen: 0, flatFen: 50, ratePerMille: null, roundingFen: null, capFen: null }]],
    [month(year, 6), [{ category: 'student', wageFromFen: 0, flatFen: 30, ratePerMille: null, roundingFen: null, capFen: null }]],
    [
      month(year, 9),
      [
        { category: 'wage', wageFromFen: 0, flatFen: 200, ratePerMille: null, roundingFen: null, capFen: null },
        { category: 'wage', wageFromFen: 300_000, flatFen: null, ratePerMille: 3, roundingFen: 50, capFen: null },
        { category: 'wage', wageFromFen: 1_000_000, flatFen: null, ratePerMille: 5, roundingFen: null, capFen: 4_000 },
      ],
    ],
  ] as const) {
    const s = await FeeStandard.create({ name: `测试${validFrom}`, title: '测试标准', article: null, validFrom, createdByPersonId: null });
    await FeeStandardBand.bulkCreate(bands.map((b) => ({ ...b, standardId: s.id })));
  }
}

describe('fee reports in SQL equal the members’ statements summed (R20)', () => {
  it('R20 random subtrees: summary per organisation below, totals, owing order and pages, the reminder’s query and the export', async () => {
    const year = 2026;
    await addStandards(year);
    // Month boundaries in Beijing, the middle of a month, the year's first and last.
    const dates = [
      '2026-01-01T00:30:00+08:00',
      '2026-05-31T23:59:00+08:00',
      '2026-06-01T00:00:00+08:00',
      '2026-09-15T12:00:00+08:00',
      '2026-12-31T23:00:00+08:00',
    ];
    // The random data must reach each case the rules tell apart.
    const seen = { owing: 0, uncategorised: 0, direct: 0, unknownOwed: 0, paid: 0 };
    for (const seed of [1, 2, 3]) {
      const r = random(seed);
      const { root, admin } = await randomSubtree(r, String(seed), year);
      const children = await sys.services.fees.payers.children(root);
      for (const at of dates) {
        const asOf = new Date(at);
        const ref = await reference(root.path, children, asOf);
        seen.owing += ref.totals.owing;
        seen.uncategorised += ref.totals.uncategorised;
        seen.direct += ref.direct?.members ?? 0;
        seen.unknownOwed += ref.owing.filter((m) => m.statement.owedFen === null).length;
        seen.paid += ref.totals.paidFen;
        const summary = await sys.services.fees.reports.summary(admin.person.id, root.id, asOf);
        expect(summary.totals).toEqual(ref.totals);
        expect(summary.direct).toEqual(ref.direct);
        expect(summary.children.map((c) => [c.org.id, c.totals])).toEqual(children.map((c) => [c.id, ref.byChild.get(c.id)]));

        const pages = [];
        for (let page = 0; ; page++) {
          const p = await sys.services.fees.reports.owingPage(admin.person.id, root.id, page, asOf);
          expect(p.total).toBe(ref.owing.length);
          pages.push(...p.items);
          if (p.page + 1 >= p.pages) break;
        }
        expect(pages.map((m) => m.payer.id)).toEqual(ref.owing.map((m) => m.payer.id));
        expect(pages.map((m) => m.statement)).toEqual(ref.owing.map((m) => m.statement));
        const past = await sys.services.fees.reports.owingPage(admin.person.id, root.id, 99, asOf);
        expect(past.items.map((m) => m.payer.id)).toEqual(ref.owing.slice(past.page * 10, past.page * 10 + 10).map((m) => m.payer.id));
        const all = await sys.services.fees.reports.owingAll(admin.person.id, root.id, asOf);
        expect(all.items.map((m) => m.payer.id)).toEqual(ref.owing.map((m) => m.payer.id));

        const reminded = [];
        for await (const o of sys.services.fees.owing(asOf, { orgId: root.id, batchSize: 7 })) reminded.push(o);
        expect(reminded).toEqual(
          ref.owing
            .filter((m) => m.statement.owedFen !== null)
            .sort((a, b) => a.payer.id - b.payer.id)
            .map((m) => ({ personId: m.payer.id, owedFen: m.statement.owedFen, months: m.statement.owedMonths })),
        );

        const sheet = await sys.services.fees.reports.sheet(admin.person.id, root.id, asOf);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(sheet.data as never);
        const rows: string[][] = [];
        wb.getWorksheet('团费明细')!.eachRow((row, n) => {
          if (n > 1) rows.push([row.getCell(1).text, row.getCell(2).text, row.getCell(10).text]);
        });
        expect(rows).toEqual(
          ref.sheetOrder.map((m) => [m.payer.name, m.payer.idMasked, m.statement.owedFen === null ? '未知' : String(m.statement.owedFen / 100)]),
        );
        expect(sheet.members).toBe(ref.sheetOrder.length);
      }
    }
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(0);
  });
});
