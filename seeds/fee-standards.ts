/**
 * The fee standard in force (R20). Migration 20261203100000-create-fees inserts a frozen copy of
 * these rows on every database, production included: it is reference data, not demo data
 * (test/seeds/fee-seeds.test.ts checks that the two agree).
 *
 * Source: 共青团中央《关于中国共产主义青年团团费收缴、使用和管理的规定》（中青发〔2016〕13号）,
 * article 5 as the domain rules cite it (published copies of the text number the wage brackets
 * in its first articles; check against the original before quoting an article number):
 * - students (学生), laid-off or unemployed members (下岗失业) and members living on relief or
 *   minimum-income support (享受最低生活保障): 0.2 元 a month;
 * - members paid a wage, on the after-tax monthly wage: below 2,000 元, 3 元; from 2,000 元
 *   (inclusive), the wage × 2‰ rounded down to whole yuan (去尾法取整), at most 20 元.
 * Members may pay more of their own will (自愿多交).
 *
 * Do not edit these rows once a database has them: a correction, or a later standard, is a new
 * standard from a month (a top admin's /fee_standard, or a new migration), and months before it
 * keep this one. `validFrom` is the first month this table counts the standard for; no month
 * before any member was recorded is ever charged, so an earlier start changes nothing.
 */

/** One band as stored (see models/FeeStandardBand.ts); money in fen. */
export interface SeedFeeBand {
  category: 'student' | 'unemployed' | 'relief' | 'wage';
  wageFromFen: number;
  flatFen: number | null;
  ratePerMille: number | null;
  roundingFen: number | null;
  capFen: number | null;
}

export interface SeedFeeStandard {
  name: string;
  title: string;
  article: string;
  validFrom: string;
  bands: SeedFeeBand[];
}

const flat = (category: SeedFeeBand['category'], fen: number): SeedFeeBand => ({
  category,
  wageFromFen: 0,
  flatFen: fen,
  ratePerMille: null,
  roundingFen: null,
  capFen: null,
});

export const FEE_STANDARD_2016: SeedFeeStandard = {
  name: '中青发〔2016〕13号',
  title: '关于中国共产主义青年团团费收缴、使用和管理的规定',
  article: '第五条',
  validFrom: '2016-01',
  bands: [
    flat('student', 20),
    flat('unemployed', 20),
    flat('relief', 20),
    // Below 2,000 元 a month: 3 元.
    { category: 'wage', wageFromFen: 0, flatFen: 300, ratePerMille: null, roundingFen: null, capFen: null },
    // From 2,000 元: wage × 2‰, rounded down to whole yuan (100 fen), at most 20 元.
    { category: 'wage', wageFromFen: 200_000, flatFen: null, ratePerMille: 2, roundingFen: 100, capFen: 2_000 },
  ],
};
