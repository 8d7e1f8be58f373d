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
  const sqlite = dialect === 'sqlite';
  const [greatest, least] = sqlite ? ['MAX', 'MIN'] : ['GREATEST', 'LEAST'];
  // A month `YYYY-MM` as a number of this year: 1 before it, 13 after it.
  const nOf = (m: string) => `CASE WHEN ${m} < :yearStart THEN 1 WHEN ${m} > :yearEnd THEN 13 ELSE CAST(SUBSTR(${m}, 6, 2) AS INTEGER) END`;
  // Months lo..hi of this year as a mask (bit n-1: month n); 0 when empty. Integer powers: neither database has a portable one.
  const pow2 = (k: string) => `CASE ${k} ${Array.from({ length: 13 }, (_, i) => `WHEN ${i} THEN ${2 ** i}`).join(' ')} END`;
  const maskOf = (lo: string, hi: string) => `CASE WHEN ${lo} <= ${hi} THEN ${pow2(hi)} - ${pow2(`${lo} - 1`)} ELSE 0 END`;
  const popcount = (x: string) => `(${Array.from({ length: last }, (_, i) => `(${x}) / ${2 ** i} % 2`).join(' + ')})`;
  // A member's paid months as a mask, one term per month: an OR over their payments that
  // neither database aggregates portably (and no DISTINCT over months expanded).
  const paidMask = Array.from(
    { length: last },
    (_, i) =>
      `${2 ** i} * MAX(CASE WHEN f.reverses_id IS NULL AND f.reversed_by IS NULL AND f.from_month <= ${text(pad(i + 1))} AND f.to_month >= ${text(pad(i + 1))} THEN 1 ELSE 0 END)`,
  ).join(' + ');
  // `payments` yields the payers' payments of the year with the reversal of each, if any (reversed_by).
  const paidOf = (payments: string) => `SELECT f.person_id, SUM(f.amount_fen) AS paid_fen, ${paidMask} AS paid_mask FROM ${payments} GROUP BY f.person_id`;
  // A member's confirmed categories as segments of months [seg_from, seg_to): the first reaches
  // back to any month, the latest of one month wins (statement.ts's rules).
  const segmentsOf = (from: string) => `SELECT c.person_id, c.category, c.wage_fen,
          CASE WHEN ROW_NUMBER() OVER (PARTITION BY c.person_id ORDER BY c.valid_from) = 1 THEN '0000-00' ELSE c.valid_from END AS seg_from,
          COALESCE(LEAD(c.valid_from) OVER (PARTITION BY c.person_id ORDER BY c.valid_from), '9999-99') AS seg_to
        FROM (SELECT f.person_id, f.valid_from, f.category, f.wage_fen,
            ROW_NUMBER() OVER (PARTITION BY f.person_id, f.valid_from ORDER BY f.id DESC) AS latest
          FROM ${from} WHERE f.status = 'confirmed') c WHERE c.latest = 1`;
  // Per member, the year is cut into spans of months with one category and one standard in
  // force (segments × rules); each span's months are a mask, so sums need no row per month.
  // `o` is the member (start_n, owed_mask).
  // PostgreSQL would substitute a subquery's expressions into each use (the amount due and a
  // span's bounds, three or four times each): OFFSET 0 keeps them computed once.
  const fence = sqlite ? '' : 'OFFSET 0';
  const spanSums = (segments: string) => `SELECT person_id,
          SUM(CASE WHEN due IS NULL THEN 0 ELSE span_mask END) AS known_mask,
          SUM(CASE WHEN due IS NULL THEN 0 ELSE due * ${popcount('span_mask')} END) AS due_sum,
          SUM(CASE WHEN due IS NULL THEN 0 ELSE due * ${popcount('span_mask & owed_mask')} END) AS owed_sum
        FROM (SELECT x.person_id, x.due, x.owed_mask, ${maskOf('x.lo', 'x.hi')} AS span_mask FROM (
          SELECT o.id AS person_id, o.owed_mask, ${due} AS due,
            ${greatest}(o.start_n, ${nOf('pr.seg_from')}, ${nOf('r.m_from')}) AS lo,
            ${least}(${last}, ${nOf('pr.seg_to')} - 1, ${nOf('r.m_to')} - 1) AS hi
          FROM ${segments}
          LEFT JOIN rules r ON r.category = pr.category AND r.m_from < pr.seg_to AND r.m_to > pr.seg_from
            AND COALESCE(pr.wage_fen, 0) >= r.w_from AND (r.w_to IS NULL OR COALESCE(pr.wage_fen, 0) < r.w_to) ${fence}) x) m
        GROUP BY person_id`;
  // PostgreSQL looks each payer's payments and categories up by person (LATERAL … OFFSET 0:
  // an index probe each, which the planner may not turn into a hash of the whole table, as it
  // did with a join); the rest runs once over the subtree's rows. SQLite joins by index anyway,
  // and has no LATERAL.
  const reversal = `SELECT r.id FROM fee_payments r WHERE r.reverses_id = f.id AND r.person_id = f.person_id AND r.year = :year`;
  const payments = sqlite
    ? `(SELECT f.person_id, f.amount_fen, f.from_month, f.to_month, f.reverses_id, (${reversal}) AS reversed_by
        FROM fee_payments f WHERE f.year = :year AND f.person_id IN (SELECT id FROM payers)) f`
    : `payers z CROSS JOIN LATERAL (SELECT f.person_id, f.amount_fen, f.from_month, f.to_month, f.reverses_id, (${reversal}) AS reversed_by
        FROM fee_payments f WHERE f.person_id = z.id AND f.year = :year OFFSET 0) f`;
  const profiles = sqlite
    ? 'payers z JOIN fee_profiles f ON f.person_id = z.id'
    : `payers z CROSS JOIN LATERAL (SELECT f.id, f.person_id, f.valid_from, f.category, f.wage_fen, f.status FROM fee_profiles f WHERE f.person_id = z.id OFFSET 0) f`;
  const paid = `LEFT JOIN (${paidOf(payments)}) pd ON pd.person_id = y.id`;
  const sums = `LEFT JOIN (${spanSums(`owes o JOIN (${segmentsOf(profiles)}) pr ON pr.person_id = o.id`)}) s ON s.person_id = o.id`;
  const sql = `WITH rules(category, m_from, m_to, needs_wage, w_from, w_to, flat, rate, unit, cap) AS (VALUES
      ${rulesValues(table)}),
    payers AS MATERIALIZED (
      SELECT p.id, p.name, p.branch_id, b.path AS branch_path, ${recorded.join(' ')} AS rec_n, ${joined} AS joined_n
      FROM organisations b JOIN people p ON p.branch_id = b.id
      WHERE ${underPath(dialect, 'b.path', ':path')} AND p.role IN ('member', 'cadre') ${keyset}),
    ranges AS (
      SELECT y.id, y.name, y.branch_id, y.branch_path, ${greatest}(y.rec_n, y.joined_n) AS start_n,
        ${maskOf(`${greatest}(y.rec_n, y.joined_n)`, String(last))} AS range_mask,
        COALESCE(pd.paid_mask, 0) AS paid_mask, COALESCE(pd.paid_fen, 0) AS paid_fen
      FROM payers y ${paid}),
    owes AS (SELECT t.*, t.range_mask - (t.range_mask & t.paid_mask) AS owed_mask FROM ranges t),
    mf AS (
      SELECT o.id, o.name, o.branch_id, o.branch_path,
        CASE WHEN o.range_mask = 0 THEN 0 WHEN COALESCE(s.known_mask, 0) = o.range_mask THEN s.due_sum END AS due_fen,
        o.paid_fen,
        CASE WHEN o.range_mask = 0 THEN 0 WHEN (o.owed_mask & (o.range_mask - COALESCE(s.known_mask, 0))) = 0 THEN COALESCE(s.owed_sum, 0) END AS owed_fen,
        ${popcount('o.owed_mask')} AS owed_months, o.owed_mask
      FROM owes o ${sums})`;
  return {
    with: sql,
    replacements: {
      ...boundaries,
      path: underPathPattern(dialect, path),
      asOfMonth,
      yearStart: `${year}-01`,
      yearEnd: `${year}-12`,
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
