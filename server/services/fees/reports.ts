import { Organisation } from '../../../models';
import type { ServiceDeps } from '../deps';
import { feeSheet } from './export-sheet';
import type { FeeLedger } from './ledger';
import { chinaMonth, type Month } from './months';
import type { FeePayers } from './payers';
import type { YearStatement } from './statement';
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

/** Owing first, most owed first; then those whose amount is unknown; by name within. */
function byOwed(a: MemberFees, b: MemberFees): number {
  const ka = a.statement.owedFen ?? -1;
  const kb = b.statement.owedFen ?? -1;
  return kb - ka || a.payer.name.localeCompare(b.payer.name, 'zh') || a.payer.id - b.payer.id;
}

/** What admins see of fees in their subtree, and the owed-members query for reminders. */
export class FeeReports {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly payers: FeePayers,
    private readonly ledger: FeeLedger,
  ) {}

  /** Every member of the organisation's subtree with their statement (the admin's own organisation, or one below it). */
  async members(actorPersonId: number, orgId: number | null, asOf = this.deps.now()): Promise<{ org: Organisation; members: MemberFees[] }> {
    const org = await this.payers.requireOrg(actorPersonId, orgId);
    const payers = await this.payers.under(org.path);
    const statements = await this.ledger.statements(payers, asOf);
    return { org, members: payers.map((payer) => ({ payer, statement: statements.get(payer.id)! })) };
  }

  /** Totals of the organisation and of each one directly below it. */
  async summary(actorPersonId: number, orgId: number | null, asOf = this.deps.now()): Promise<FeeSummary> {
    const { org, members } = await this.members(actorPersonId, orgId, asOf);
    return this.summaryOf(actorPersonId, org, members, asOf);
  }

  /** The spreadsheet of the organisation's members and totals (导出). */
  async sheet(actorPersonId: number, orgId: number | null, asOf = this.deps.now()): Promise<{ org: Organisation; data: Buffer; members: number }> {
    const { org, members } = await this.members(actorPersonId, orgId, asOf);
    const summary = await this.summaryOf(actorPersonId, org, members, asOf);
    const sorted = [...members].sort((a, b) => a.payer.branchPath.localeCompare(b.payer.branchPath) || a.payer.name.localeCompare(b.payer.name, 'zh'));
    return { org, data: await feeSheet(summary, sorted), members: members.length };
  }

  private async summaryOf(actorPersonId: number, org: Organisation, members: MemberFees[], asOf: Date): Promise<FeeSummary> {
    const children = await this.payers.children(org);
    const totals = empty();
    const byChild = new Map(children.map((c) => [c.id, empty()]));
    let direct: FeeTotals | null = null;
    for (const m of members) {
      add(totals, m.statement);
      const child = children.find((c) => m.payer.branchPath.startsWith(c.path));
      if (child) add(byChild.get(child.id)!, m.statement);
      else add((direct ??= empty()), m.statement);
    }
    const pending = (await this.ledger.profiles.pendingFor(actorPersonId, { path: org.path, limit: 1 })).total;
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

  /** Every member who owes (or whose amount is unknown), most owed first: the owing list unpaged (its export). */
  async owingAll(actorPersonId: number, orgId: number | null, asOf = this.deps.now()): Promise<{ org: Organisation; items: MemberFees[] }> {
    const { org, members } = await this.members(actorPersonId, orgId, asOf);
    return { org, items: members.filter((m) => m.statement.owedMonths.length > 0).sort(byOwed) };
  }

  /** One page of the members who owe (or whose amount is unknown), most owed first. */
  async owingPage(
    actorPersonId: number,
    orgId: number | null,
    page: number,
    asOf = this.deps.now(),
  ): Promise<{ org: Organisation; items: MemberFees[]; total: number; page: number; pages: number }> {
    const { org, items: owing } = await this.owingAll(actorPersonId, orgId, asOf);
    const pages = Math.max(1, Math.ceil(owing.length / OWING_PAGE));
    const at = Math.min(Math.max(0, page), pages - 1);
    return { org, items: owing.slice(at * OWING_PAGE, (at + 1) * OWING_PAGE), total: owing.length, page: at, pages };
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
      const batch = await this.payers.under(root?.path ?? '/', { afterId, limit: opts.batchSize ?? 500 });
      if (!batch.length) return;
      afterId = batch.at(-1)!.id;
      const statements = await this.ledger.statements(batch, asOf, { table });
      for (const p of batch) {
        const s = statements.get(p.id)!;
        if (s.owedFen !== null && s.owedMonths.length > 0) yield { personId: p.id, owedFen: s.owedFen, months: s.owedMonths };
      }
    }
  }
}
