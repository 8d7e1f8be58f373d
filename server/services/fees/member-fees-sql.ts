/**
 * The year statement's sums (statement.ts) as one SQL query over a subtree, so that reports
 * aggregate in the database instead of loading every payer: the same rules, month by month.
 * Written in the common subset of SQLite and PostgreSQL (window functions, CTEs); the few
 * differences are switched on the dialect here. The pure TypeScript statement stays the
 * reference (a member's own /fee, and the tests that compare the two).
 */
import { underPath, underPathPattern } from '../../../models/fast-sql';
import { chinaMonth, yearOf, type Month } from './months';
import type { StandardTable } from './standard-table';

/** A string as an SQL literal (only digits, letters and `-` ever reach here, but quote anyway). */
const text = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const int = (n: number | null): string => (n === null ? 'CAST(NULL AS INTEGER)' : String(Math.trunc(n)));

/**
 * The standard table as rows of `rules`: for a category, the months a standard is in force
 * ([m_from, m_to)) and, within it, one band's wage range ([w_from, w_to)); as statement.ts's
 * StandardTable.forMonth and arithmetic.ts's bandFor pick them.
 */
function rulesValues(table: StandardTable): string {
  const rows: string[] = [];
  const categories = [...new Set(table.all.flatMap((s) => s.bands.map((b) => b.category)))];
  for (const category of categories) {
    // Newest first, ties the later added first (as StandardTable orders them): one per month of start.
    const byStart = new Map<Month, (typeof table.all)[number]>();
    for (const s of [...table.all].reverse()) if (s.bands.some((b) => b.category === category) && !byStart.has(s.validFrom)) byStart.set(s.validFrom, s);
    const starts = [...byStart.keys()].sort();
    starts.forEach((from, i) => {
      const s = byStart.get(from)!;
      const to = starts[i + 1] ?? '9999-99';
      const bands = s.bands.filter((b) => b.category === category).sort((a, b) => a.wageFromFen - b.wageFromFen);
      const needsWage = bands.some((b) => b.wageFromFen > 0 || b.ratePerMille !== null) ? 1 : 0;
      bands.forEach((b, j) => {
        const unit = b.roundingFen && b.roundingFen > 0 ? b.roundingFen : 1;
        const wageTo = bands[j + 1]?.wageFromFen ?? null;
        rows.push(
          `(${text(category)}, ${text(from)}, ${text(to)}, ${needsWage}, ${int(b.wageFromFen)}, ${int(wageTo)}, ${int(b.flatFen)}, ${int(b.ratePerMille)}, ${unit}, ${int(b.capFen)})`,
        );
      });
    });
  }
  // VALUES needs a row: one no category matches.
  if (!rows.length) rows.push(`('', '0000-00', '0000-00', 0, 0, ${int(null)}, ${int(null)}, ${int(null)}, 1, ${int(null)})`);
  return rows.join(',\n      ');
}

/** The UTC instant Beijing's month `n` (1-based, 13 = next January) of `year` starts at. */
const monthStart = (year: number, n: number): Date => new Date(Date.UTC(year, n - 1, 1) - 8 * 3_600_000);

export interface MemberFeesQuery {
  /** The CTEs ending in `mf`: one row per payer of the subtree (see columns below). */
  with: string;
  replacements: Record<string, unknown>;
  year: number;
}

/**
 * `WITH … mf` with one row per payer below `path` (or one keyset page of them by id):
 * id, name, branch_id, branch_path, due_fen (null: unknown), paid_fen, owed_fen (null:
 * unknown), owed_months (how many), owed_mask (bit n-1 set: month n owed).
 * @example const q = memberFeesSql('sqlite', table, '/1/', new Date()); sql(`${q.with} SELECT COUNT(*) FROM mf`)
 */
export function memberFeesSql(dialect: string, table: StandardTable, path: string, asOf: Date, page?: { afterId: number; limit: number }): MemberFeesQuery {
  const asOfMonth = chinaMonth(asOf);
  const year = yearOf(asOfMonth);
  const last = Number(asOfMonth.slice(5, 7));
  const pad = (n: number) => `${year}-${String(n).padStart(2, '0')}`;
  const months = Array.from({ length: last }, (_, i) => `(${i + 1}, ${text(pad(i + 1))}, ${2 ** i})`).join(', ');
  // The month the record was made in, in Beijing, as a number of this year: 99 after this month (nothing counted), 1 before the year.
  const boundaries: Record<string, Date> = {};
  const recorded = ['CASE'];
  for (let n = last + 1; n >= 2; n--) {
    boundaries[`b${n}`] = monthStart(year, n);
    recorded.push(`WHEN p.created_at >= :b${n} THEN ${n > last ? 99 : n}`);
  }
  recorded.push('ELSE 1 END');
  const datedJoin = dialect === 'sqlite' ? `p.joined_league_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'` : `p.joined_league_at ~ '^[0-9]{4}-[0-9]{2}'`;
  const joined = `CASE WHEN p.joined_league_at IS NULL OR NOT (${datedJoin}) THEN 1
      WHEN SUBSTR(p.joined_league_at, 1, 7) > :asOfMonth THEN 99
      WHEN SUBSTR(p.joined_league_at, 1, 7) >= :yearStart THEN CAST(SUBSTR(p.joined_league_at, 6, 2) AS INTEGER) ELSE 1 END`;
  const keyset = page ? 'AND p.id > :afterId ORDER BY p.id LIMIT :limit' : '';
  const raw = `(CASE WHEN pr.wage_fen > 0 THEN CAST(pr.wage_fen AS BIGINT) ELSE 0 END) * r.rate / 1000`;
  const rounded = `(${raw} - ${raw} % r.unit)`;
  const due = `CASE WHEN r.category IS NULL THEN NULL
        WHEN r.needs_wage = 1 AND pr.wage_fen IS NULL THEN NULL
        WHEN r.rate IS NULL THEN COALESCE(r.flat, 0)
        WHEN r.cap IS NOT NULL AND ${rounded} > r.cap THEN r.cap ELSE ${rounded} END`;
  const sql = `WITH months(n, month, bit) AS (VALUES ${months}),
    rules(category, m_from, m_to, needs_wage, w_from, w_to, flat, rate, unit, cap) AS (VALUES
      ${rulesValues(table)}),
    payers AS (
      SELECT p.id, p.name, p.branch_id, b.path AS branch_path, ${recorded.join(' ')} AS rec_n, ${joined} AS joined_n
      FROM people p JOIN organisations b ON b.id = p.branch_id
      WHERE ${underPath(dialect, 'b.path', ':path')} AND p.role IN ('member', 'cadre') ${keyset}),
    starts AS (SELECT id, CASE WHEN rec_n > joined_n THEN rec_n ELSE joined_n END AS start_n FROM payers),
    confirmed AS (
      SELECT f.person_id, f.valid_from, f.category, f.wage_fen,
        ROW_NUMBER() OVER (PARTITION BY f.person_id, f.valid_from ORDER BY f.id DESC) AS latest
      FROM fee_profiles f JOIN payers ON payers.id = f.person_id WHERE f.status = 'confirmed'),
    prof AS (
      SELECT person_id, category, wage_fen,
        CASE WHEN ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY valid_from) = 1 THEN '0000-00' ELSE valid_from END AS seg_from,
        COALESCE(LEAD(valid_from) OVER (PARTITION BY person_id ORDER BY valid_from), '9999-99') AS seg_to
      FROM confirmed WHERE latest = 1),
    year_payments AS (
      SELECT f.id, f.person_id, f.from_month, f.to_month, f.amount_fen, f.reverses_id
      FROM fee_payments f JOIN payers ON payers.id = f.person_id WHERE f.year = :year),
    paid AS (SELECT person_id, SUM(amount_fen) AS paid_fen FROM year_payments GROUP BY person_id),
    paid_months AS (
      SELECT DISTINCT y.person_id, m.n FROM year_payments y JOIN months m ON m.month >= y.from_month AND m.month <= y.to_month
      WHERE y.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM year_payments r WHERE r.reverses_id = y.id)),
    counted AS (
      SELECT s.id, m.bit, ${due} AS due, CASE WHEN pm.n IS NULL THEN 1 ELSE 0 END AS unpaid
      FROM starts s JOIN months m ON m.n >= s.start_n
      LEFT JOIN prof pr ON pr.person_id = s.id AND m.month >= pr.seg_from AND m.month < pr.seg_to
      LEFT JOIN rules r ON r.category = pr.category AND m.month >= r.m_from AND m.month < r.m_to
        AND COALESCE(pr.wage_fen, 0) >= r.w_from AND (r.w_to IS NULL OR COALESCE(pr.wage_fen, 0) < r.w_to)
      LEFT JOIN paid_months pm ON pm.person_id = s.id AND pm.n = m.n),
    sums AS (
      SELECT id, COUNT(*) AS months, COUNT(due) AS known, SUM(due) AS due_sum, SUM(unpaid) AS owed_months,
        SUM(CASE WHEN unpaid = 1 AND due IS NULL THEN 1 ELSE 0 END) AS owed_unknown,
        SUM(CASE WHEN unpaid = 1 THEN due ELSE 0 END) AS owed_sum, SUM(unpaid * bit) AS owed_mask
      FROM counted GROUP BY id),
    mf AS (
      SELECT p.id, p.name, p.branch_id, p.branch_path,
        CASE WHEN s.id IS NULL THEN 0 WHEN s.known = s.months THEN s.due_sum END AS due_fen,
        COALESCE(pd.paid_fen, 0) AS paid_fen,
        CASE WHEN s.id IS NULL THEN 0 WHEN s.owed_unknown = 0 THEN COALESCE(s.owed_sum, 0) END AS owed_fen,
        COALESCE(s.owed_months, 0) AS owed_months, COALESCE(s.owed_mask, 0) AS owed_mask
      FROM payers p LEFT JOIN sums s ON s.id = p.id LEFT JOIN paid pd ON pd.person_id = p.id)`;
  return {
    with: sql,
    replacements: {
      ...boundaries,
      path: underPathPattern(dialect, path),
      asOfMonth,
      yearStart: `${year}-01`,
      year,
      ...(page ? { afterId: page.afterId, limit: page.limit } : {}),
    },
    year,
  };
}

/** The owed months of a mask from {@link memberFeesSql}, oldest first. */
export function monthsOfMask(year: number, mask: number): Month[] {
  const out: Month[] = [];
  for (let n = 1; n <= 12; n++) if (Math.floor(mask / 2 ** (n - 1)) % 2 === 1) out.push(`${year}-${String(n).padStart(2, '0')}`);
  return out;
}

/** SQL for the id of the organisation directly below the one at `pathLength` characters that `column` lies under ('' when it is that organisation itself). */
export function childKeySql(dialect: string, column: string, pathLength: number): string {
  const rest = `SUBSTR(${column}, ${pathLength + 1})`;
  return dialect === 'sqlite' ? `SUBSTR(${rest}, 1, INSTR(${rest}, '/') - 1)` : `SPLIT_PART(${rest}, '/', 1)`;
}
