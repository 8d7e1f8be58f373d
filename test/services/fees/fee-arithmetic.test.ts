import fc from 'fast-check';
import { FEE_STANDARD_2016 } from '../../../seeds/fee-standards';
import { monthlyDueFen, ruleText, type FeeBand } from '../../../server/services/fees/arithmetic';
import { parseYuan, yuan } from '../../../server/services/fees/money';
import { monthsText, parseMonthRange } from '../../../server/services/fees/months';
import { StandardTable, type StandardRows } from '../../../server/services/fees/standard-table';
import { yearStatement } from '../../../server/services/fees/statement';

const bandsOf = (category: string, s = FEE_STANDARD_2016): FeeBand[] => s.bands.filter((b) => b.category === category);
const WAGE = bandsOf('wage');

const STANDARD_2016: StandardRows = {
  id: 1,
  name: FEE_STANDARD_2016.name,
  title: FEE_STANDARD_2016.title,
  article: FEE_STANDARD_2016.article,
  validFrom: FEE_STANDARD_2016.validFrom,
  bands: FEE_STANDARD_2016.bands,
};
/** A later standard for wage earners only: 3‰ from 2,000 元, at most 30 元, from 2027-01. */
const STANDARD_2027: StandardRows = {
  id: 2,
  name: '中青发〔2026〕99号',
  title: '测试用的新标准',
  article: null,
  validFrom: '2027-01',
  bands: [
    { category: 'wage', wageFromFen: 0, flatFen: 300, ratePerMille: null, roundingFen: null, capFen: null },
    { category: 'wage', wageFromFen: 200_000, flatFen: null, ratePerMille: 3, roundingFen: 100, capFen: 3_000 },
  ],
};

describe('fee arithmetic (R20), all in fen', () => {
  it('R20 students, laid-off or unemployed members and members on relief pay 0.2 元 (20 fen) a month', () => {
    for (const c of ['student', 'unemployed', 'relief']) expect(monthlyDueFen(bandsOf(c), null)).toBe(20);
  });

  it('R20 wage earners at each band edge: 1,999 → 3 元, 2,000 → 4, 2,499 → 4, 2,500 → 5, 10,000 → 20, 10,001 → 20', () => {
    const cases: Array<[number, number]> = [
      [1999, 300],
      [2000, 400],
      [2499, 400],
      [2500, 500],
      [10_000, 2000],
      [10_001, 2000],
      [0.01, 300],
      [1999.99, 300],
      [50_000, 2000],
    ];
    for (const [wageYuan, dueFen] of cases) expect({ wageYuan, due: monthlyDueFen(WAGE, Math.round(wageYuan * 100)) }).toEqual({ wageYuan, due: dueFen });
  });

  it('R20 a wage earner without a known wage has no amount (nothing is guessed)', () => {
    expect(monthlyDueFen(WAGE, null)).toBeNull();
  });

  it('R20 amounts are integers, never fall as the wage rises, and stop at 20 元 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const dl = monthlyDueFen(WAGE, low)!;
        const dh = monthlyDueFen(WAGE, high)!;
        return Number.isInteger(dl) && Number.isInteger(dh) && dl <= dh && dh <= 2000 && dl >= 300 && dl % 100 === 0;
      }),
      { numRuns: 2000 },
    );
  });

  it('R20 the 2‰ is integer arithmetic: the same as wage (fen) × 2 ÷ 1000 counted in whole yuan', () => {
    fc.assert(fc.property(fc.integer({ min: 200_000, max: 1_000_000 }), (wage) => monthlyDueFen(WAGE, wage) === Math.floor((wage * 2) / 100_000) * 100));
  });

  it('R20 the rule reads as the standard says', () => {
    expect(ruleText(bandsOf('student'))).toBe('每月 0.2 元');
    expect(ruleText(WAGE)).toBe('税后月收入2,000 元以下每月 3 元；2,000 元及以上按月收入的 2‰ 交纳，去尾取整到 1 元，每月最多 20 元');
  });

  it('R20 across a change of standard: months before it keep the old one; categories it does not set keep theirs', () => {
    const table = new StandardTable([STANDARD_2027, STANDARD_2016]);
    expect(table.dueFen('wage', 1_000_000, '2026-12')).toBe(2000);
    expect(table.dueFen('wage', 1_000_000, '2027-01')).toBe(3000);
    expect(table.dueFen('wage', 250_000, '2027-06')).toBe(700);
    expect(table.dueFen('student', null, '2027-01')).toBe(20);
    expect(table.forMonth('wage', '2026-12')!.standard.name).toBe('中青发〔2016〕13号');
    expect(table.forMonth('wage', '2027-01')!.standard.name).toBe('中青发〔2026〕99号');
    // A correction from the same month: the later added wins.
    const corrected = new StandardTable([
      STANDARD_2016,
      STANDARD_2027,
      { ...STANDARD_2027, id: 3, name: '更正', bands: [{ ...STANDARD_2027.bands[1], capFen: 2500 }, STANDARD_2027.bands[0]] },
    ]);
    expect(corrected.dueFen('wage', 1_000_000, '2027-01')).toBe(2500);
    expect(corrected.dueFen('wage', 1_000_000, '2026-12')).toBe(2000);
  });

  it('R20 a year statement spanning a change of standard sums each month under its own standard', () => {
    const table = new StandardTable([STANDARD_2016, { ...STANDARD_2027, validFrom: '2026-07' }]);
    const s = yearStatement(
      { joinedLeagueAt: '2010-05-04', recordedAt: new Date('2025-01-01T00:00:00Z') },
      [{ id: 1, validFrom: '2026-01', category: 'wage', wageFen: 1_000_000 }],
      table,
      [],
      new Date('2026-12-15T04:00:00Z'),
    );
    expect(s.months).toHaveLength(12);
    expect(s.dueFen).toBe(6 * 2000 + 6 * 3000);
    expect(s.owedFen).toBe(s.dueFen);
  });

  it('R20 counting starts at the later of January, the month of joining and the month of being recorded; this month is due', () => {
    const table = new StandardTable([STANDARD_2016]);
    const student = [{ id: 1, validFrom: '2026-09', category: 'student', wageFen: null }];
    const at = new Date('2026-12-03T02:00:00Z');
    const recordedInMarch = yearStatement({ joinedLeagueAt: '2019-05-04', recordedAt: new Date('2026-03-10T02:00:00Z') }, student, table, [], at);
    expect(recordedInMarch.startMonth).toBe('2026-03');
    expect(recordedInMarch.owedMonths).toHaveLength(10);
    expect(recordedInMarch.owedFen).toBe(200);
    const joinedInMay = yearStatement({ joinedLeagueAt: '2026-05-04', recordedAt: new Date('2020-01-01T00:00:00Z') }, student, table, [], at);
    expect(joinedInMay.startMonth).toBe('2026-05');
    const fromJanuary = yearStatement(
      { joinedLeagueAt: '2019-05-04', recordedAt: new Date('2024-03-10T02:00:00Z') },
      student,
      table,
      [
        { id: 1, fromMonth: '2026-01', toMonth: '2026-06', amountFen: 200, reversesId: null },
        { id: 2, fromMonth: '2026-07', toMonth: '2026-08', amountFen: 40, reversesId: null },
        { id: 3, fromMonth: '2026-07', toMonth: '2026-08', amountFen: -40, reversesId: 2 },
      ],
      at,
    );
    expect(fromJanuary.paidMonths).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(fromJanuary.paidFen).toBe(200);
    expect(fromJanuary.owedMonths).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(fromJanuary.owedFen).toBe(120);
  });
});

describe('money and months as admins type them', () => {
  it('R20 yuan typed are read as exact fen, never through floating point', () => {
    const ok = (text: string | number) => {
      const r = parseYuan(text);
      return r.ok ? r.value : r.message;
    };
    expect([ok('0.2'), ok('0.20'), ok('3元'), ok('1,999'), ok('１２.５'), ok('￥20'), ok('2角'), ok(1.2), ok(12.5)]).toEqual([
      20, 20, 300, 199_900, 1250, 2000, 20, 120, 1250,
    ]);
    expect(ok(0.1 + 0.2)).toContain('两位小数');
    expect(ok('-3')).toContain('不能为负数');
    expect(ok('三元')).toContain('应为数字');
    expect([yuan(20), yuan(300), yuan(125), yuan(-300), yuan(199_900)]).toEqual(['0.2', '3', '1.25', '-3', '1,999']);
  });

  it('R20 a run of months in the usual ways, within one year', () => {
    const r = (text: string) => {
      const p = parseMonthRange(text, 2026);
      return p.ok ? `${p.value.from}..${p.value.to}` : p.message;
    };
    expect(r('2026-01至2026-06')).toBe('2026-01..2026-06');
    expect(r('1-6月')).toBe('2026-01..2026-06');
    expect(r('1月至6月')).toBe('2026-01..2026-06');
    expect(r('2026年1月-6月')).toBe('2026-01..2026-06');
    expect(r('2026.3')).toBe('2026-03..2026-03');
    expect(r('3月')).toBe('2026-03..2026-03');
    expect(r('２０２６－０７～２０２６－１２')).toBe('2026-07..2026-12');
    expect(r('全年')).toBe('2026-01..2026-12');
    expect(r('2025-11至2026-02')).toContain('同一年内');
    expect(r('6-1月')).toContain('早于');
    expect(r('13月')).toContain('1 到 12');
    expect(r('上半年')).toContain('请写成');
    expect(monthsText(['2026-01', '2026-02', '2026-03', '2026-09'])).toBe('2026年1-3月、9月');
  });
});
