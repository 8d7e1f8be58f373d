import { QueryTypes } from 'sequelize';
import { underPath, underPathPattern } from '../../../models/fast-sql';
import { Organisation } from '../../../models';
import type { ServiceDeps } from '../deps';
import { feeSheet } from './export-sheet';
import type { FeeLedger } from './ledger';
import { childKeySql, memberFeesSql, monthsOfMask } from './member-fees-sql';
import { chinaMonth, type Month } from './months';
import { PAYER_COLUMNS, PAYER_ROLES, payerOf, type FeePayers, type Payer } from './payers';
import type { FeeSummary, FeeTotals, MemberFees } from './report-types';

export type { FeeSummary, FeeTotals, MemberFees } from './report-types';

/** One owed member, as the reminder job reads them. */
export interface Owing {
  personId: number;
  owedFen: number;
  /** The months owed, `YYYY-MM`, oldest first. */
  months: Month[];
}

/** Members on one page of the owing list. */
export const OWING_PAGE = 10;

/** Payers a batch of the reminder's walk and of the export's. */
const BATCH = 500;

const empty = (): FeeTotals => ({ members: 0, dueFen: 0, paidFen: 0, owedFen: 0, owing: 0, uncategorised: 0 });

const plus = (a: FeeTotals, b: FeeTotals): FeeTotals => ({
  members: a.members + b.members,
  dueFen: a.dueFen + b.dueFen,
  paidFen: a.paidFen + b.paidFen,
  owedFen: a.owedFen + b.owedFen,
  owing: a.owing + b.owing,
  uncategorised: a.uncategorised + b.uncategorised,
});

/** Names as the lists order them (pinyin order, as `localeCompare(…, 'zh')`). */
const byName = new Intl.Collator('zh');

/** A row of the owing order: most owed first (unknown amounts after), by name, by id. */
interface OwingKey {
  id: number;
  name: string;
  /** What is owed; -1 when unknown. */
  key: number;
}

const byOwed = (a: OwingKey, b: OwingKey): number => b.key - a.key || byName.compare(a.name, b.name) || a.id - b.id;

/**
 * Rows in the owing order (most owed first, then by person id) from position `from`, each
 * page of {@link OWING_PAGE} sorted by name within one amount: a page shows names in pinyin
 * order; which members fall on which page follows their ids.
 */
function pageOrder(keys: OwingKey[], from: number): OwingKey[] {
  const out: OwingKey[] = [];
  // The first chunk ends where the page that `from` falls in ends.
  for (let i = 0, end = OWING_PAGE - (from % OWING_PAGE); i < keys.length; i = end, end += OWING_PAGE) out.push(...keys.slice(i, end).sort(byOwed));
  return out;
}

/**
 * What admins see of fees in their subtree, and the owed-members query for reminders. Sums,
 * the owing order and who owes come from one aggregate query (member-fees-sql.ts), so memory
 * does not grow with the subtree; statements are built in TypeScript only for the members a
 * page or an export row shows.
 */
export class FeeReports {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly payers: FeePayers,
    private readonly ledger: FeeLedger,
  ) {}

  private async query<T extends object>(sql: string, replacements: Record<string, unknown>): Promise<T[]> {
    return this.deps.db.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  }

  /** Totals of the organisation and of each one directly below it. */
  async summary(actorPersonId: number, orgId: number | null, asOf = this.deps.now()): Promise<FeeSummary> {
    const org = await this.payers.requireOrg(actorPersonId, orgId);
    return this.summaryOf(actorPersonId, org, asOf);
  }

  /** The spreadsheet of the organisation's members and totals (导出): members stream from the database a branch at a time. */
  async sheet(actorPersonId: number, orgId: number | null, asOf = this.deps.now()): Promise<{ org: Organisation; data: Buffer; members: number }> {
    const org = await this.payers.requireOrg(actorPersonId, orgId);
    const summary = await this.summaryOf(actorPersonId, org, asOf);
    return { org, data: await feeSheet(summary, this.byBranch(org.path, asOf)), members: summary.totals.members };
  }

  private async summaryOf(actorPersonId: number, org: Organisation, asOf: Date): Promise<FeeSummary> {
    const { dialect } = this.deps.db;
    const q = memberFeesSql(dialect, await this.ledger.standards.table(), org.path, asOf);
    // The sums, the organisations below and the waiting declarations are read side by side.
    const [rows, children, pending] = await Promise.all([
      this.query<Record<string, string | number | null>>(
        `${q.with},
      flagged AS (SELECT mf.*, CASE WHEN due_fen IS NULL OR owed_fen IS NULL THEN 1 ELSE 0 END AS unknown,
        ${childKeySql(dialect, 'branch_path', org.path.length)} AS child FROM mf)
      SELECT child, COUNT(*) AS members, SUM(paid_fen) AS paid_fen,
        SUM(CASE WHEN unknown = 0 THEN due_fen ELSE 0 END) AS due_fen, SUM(CASE WHEN unknown = 0 THEN owed_fen ELSE 0 END) AS owed_fen,
        SUM(CASE WHEN unknown = 0 AND owed_months > 0 THEN 1 ELSE 0 END) AS owing, SUM(unknown) AS uncategorised
      FROM flagged GROUP BY child`,
        q.replacements,
      ),
      this.payers.children(org),
      this.ledger.profiles.pendingFor(actorPersonId, { path: org.path, limit: 0 }).then((p) => p.total),
    ]);
    const byChild = new Map(children.map((c) => [c.id, empty()]));
    let totals = empty();
    let direct: FeeTotals | null = null;
    for (const r of rows) {
      const t: FeeTotals = {
        members: Number(r.members),
        dueFen: Number(r.due_fen),
        paidFen: Number(r.paid_fen),
        owedFen: Number(r.owed_fen),
        owing: Number(r.owing),
        uncategorised: Number(r.uncategorised),
      };
      totals = plus(totals, t);
      const child = r.child ? byChild.get(Number(r.child)) : undefined;
      if (child) Object.assign(child, plus(child, t));
      else direct = plus(direct ?? empty(), t);
    }
    const asOfMonth = chinaMonth(asOf);
    return {
      org,
      year: Number(asOfMonth.slice(0, 4)),
      asOfMonth,
      totals,
      children: children.map((c) => ({ org: c, totals: byChild.get(c.id)! })),
      direct,
      pending,
    };
  }

  /** Every payer of the subtree with their statement, by branch path then name, a branch at a time (the export's rows). */
  private async *byBranch(path: string, asOf: Date): AsyncGenerator<MemberFees> {
    const { dialect } = this.deps.db;
    const table = await this.ledger.standards.table();
    const binary = dialect === 'sqlite' ? '' : ' COLLATE "C"';
    let after = { path: '', id: 0 };
    let carried: Payer[] = [];
    for (;;) {
      const rows = await this.query<Record<string, any>>(
        `SELECT ${PAYER_COLUMNS} FROM people p JOIN organisations b ON b.id = p.branch_id
         WHERE ${underPath(dialect, 'b.path', ':path')} AND p.role IN (:roles) AND (b.path${binary} > :afterPath OR (b.path = :afterPath AND p.id > :afterId))
         ORDER BY b.path${binary}, p.id LIMIT :limit`,
        { path: underPathPattern(dialect, path), roles: PAYER_ROLES, afterPath: after.path, afterId: after.id, limit: BATCH },
      );
      const batch = [...carried, ...rows.map(payerOf)];
      const done = rows.length < BATCH;
      // The last branch may go on in the next batch: it waits, so that a branch is sorted whole.
      const lastPath = batch.at(-1)?.branchPath;
      const ready = done ? batch : batch.filter((p) => p.branchPath !== lastPath);
      carried = done ? [] : batch.filter((p) => p.branchPath === lastPath);
      if (rows.length) after = { path: rows.at(-1)!.branch_path, id: Number(rows.at(-1)!.id) };
      ready.sort((a, b) => (a.branchPath === b.branchPath ? byName.compare(a.name, b.name) : a.branchPath < b.branchPath ? -1 : 1));
      const statements = await this.ledger.statements(ready, asOf, { table });
      for (const payer of ready) yield { payer, statement: statements.get(payer.id)! };
      if (done) return;
    }
  }

  /**
   * The owing order's rows from `from` (0-based), at most `limit`, and how many owe in all.
   * SQL orders by amount, then person id, and keeps only the slice (a top-N, however many owe
   * one amount: a province had 32,144 at one); names within one amount are ordered here, on
   * the slice's rows (pinyin, which neither database orders by portably).
   */
  private async owingSlice(path: string, asOf: Date, from: number, limit: number): Promise<{ keys: OwingKey[]; total: number }> {
    const q = memberFeesSql(this.deps.db.dialect, await this.ledger.standards.table(), path, asOf);
    const rows = await this.query<{ id: number; name: string; k: number; total: number }>(
      `${q.with},
      owing AS (SELECT id, name, COALESCE(owed_fen, -1) AS k FROM mf WHERE owed_months > 0)
      SELECT id, name, k, COUNT(*) OVER () AS total FROM owing ORDER BY k DESC, id LIMIT :limit OFFSET :from`,
      { ...q.replacements, from, limit },
    );
    if (!rows.length) {
      const [{ n }] = await this.query<{ n: number }>(`${q.with} SELECT COUNT(*) AS n FROM mf WHERE owed_months > 0`, q.replacements);
      return { keys: [], total: Number(n) };
    }
    const keys = rows.map((r) => ({ id: Number(r.id), name: r.name, key: Number(r.k) }));
    return { keys: pageOrder(keys, from), total: Number(rows[0].total) };
  }

  /** The members of these ids with their statements, in the ids' order. */
  private async withStatements(ids: number[], asOf: Date): Promise<MemberFees[]> {
    if (!ids.length) return [];
    const rows = await this.query<Record<string, any>>(
      `SELECT ${PAYER_COLUMNS} FROM people p JOIN organisations b ON b.id = p.branch_id WHERE p.id IN (:ids)`,
      { ids },
    );
    const payers = new Map(rows.map((r) => [Number(r.id), payerOf(r)]));
    const statements = await this.ledger.statements([...payers.values()], asOf);
    return ids.map((id) => ({ payer: payers.get(id)!, statement: statements.get(id)! }));
  }

  /** Every member who owes (or whose amount is unknown), most owed first: the owing list unpaged (its export). */
  async owingAll(actorPersonId: number, orgId: number | null, asOf = this.deps.now()): Promise<{ org: Organisation; items: MemberFees[] }> {
    const org = await this.payers.requireOrg(actorPersonId, orgId);
    const { keys } = await this.owingSlice(org.path, asOf, 0, Number.MAX_SAFE_INTEGER);
    const items: MemberFees[] = [];
    for (let i = 0; i < keys.length; i += BATCH)
      items.push(
        ...(await this.withStatements(
          keys.slice(i, i + BATCH).map((k) => k.id),
          asOf,
        )),
      );
    return { org, items };
  }

  /** One page of the members who owe (or whose amount is unknown), most owed first. */
  async owingPage(
    actorPersonId: number,
    orgId: number | null,
    page: number,
    asOf = this.deps.now(),
  ): Promise<{ org: Organisation; items: MemberFees[]; total: number; page: number; pages: number }> {
    const org = await this.payers.requireOrg(actorPersonId, orgId);
    let slice = await this.owingSlice(org.path, asOf, Math.max(0, page) * OWING_PAGE, OWING_PAGE);
    const pages = Math.max(1, Math.ceil(slice.total / OWING_PAGE));
    const at = Math.min(Math.max(0, page), pages - 1);
    // A page past the end shows the last one.
    if (at !== Math.max(0, page)) slice = await this.owingSlice(org.path, asOf, at * OWING_PAGE, OWING_PAGE);
    const items = await this.withStatements(
      slice.keys.map((k) => k.id),
      asOf,
    );
    return { org, items, total: slice.total, page: at, pages };
  }

  /**
   * Every member who owes fees as of `asOf` (the year so far, this month included), a batch
   * of members at a time by person id, across the whole tree or below `orgId`. Members whose
   * category is not set are left out: what they owe is not known (admins see them in /fees).
   * For the monthly reminder job: nothing here checks an actor.
   * @example for await (const o of fees.owing(new Date())) remind(o.personId, o.owedFen, o.months);
   */
  async *owing(asOf: Date, opts: { orgId?: number; batchSize?: number } = {}): AsyncGenerator<Owing> {
    const root = opts.orgId ? await Organisation.findByPk(opts.orgId) : null;
    if (opts.orgId && !root) return;
    const table = await this.ledger.standards.table();
    let afterId = 0;
    for (;;) {
      const q = memberFeesSql(this.deps.db.dialect, table, root?.path ?? '/', asOf, { afterId, limit: opts.batchSize ?? BATCH });
      const rows = await this.query<{ id: number; owed_fen: number | null; owed_months: number; owed_mask: number }>(
        `${q.with} SELECT id, owed_fen, owed_months, owed_mask FROM mf ORDER BY id`,
        q.replacements,
      );
      if (!rows.length) return;
      afterId = Number(rows.at(-1)!.id);
      for (const r of rows)
        if (r.owed_fen !== null && Number(r.owed_months) > 0)
          yield { personId: Number(r.id), owedFen: Number(r.owed_fen), months: monthsOfMask(q.year, Number(r.owed_mask)) };
    }
  }
}
