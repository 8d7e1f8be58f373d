/**
 * The statements the real code paths send, captured from Sequelize's `logging` hook (the SQL as
 * sent, with its bind parameters), and their plans: `EXPLAIN (FORMAT JSON)` of each, searched for
 * a sequential scan of `people` or `organisations`. With `forceIndexes` the plans are taken with
 * `enable_seqscan = off`, so a small database (where a sequential scan is the cheaper choice)
 * still shows whether an index could serve the query: a Seq Scan left in such a plan has none.
 */
import type pg from 'pg';
import type { Sequelize } from 'sequelize';

/** One statement as the code sent it. */
export interface CapturedSql {
  section: string;
  sql: string;
  bind: unknown[];
}

/** What the plan check found for one statement. */
export interface PlanFinding {
  section: string;
  sql: string;
  /** Tables scanned sequentially, of those watched; empty: index-driven. */
  seqScans: string[];
  error?: string;
}

const WATCHED = new Set(['people', 'organisations']);
/** Transaction control and settings have no plan. */
const NO_PLAN = /^\s*(BEGIN|START|COMMIT|ROLLBACK|SET|SAVEPOINT|RELEASE|SHOW|SELECT 1\b|SELECT pg_|SELECT current_setting)/i;

/** Collects the statements of named sections from a Sequelize instance (and from a child process, see `add`). */
export class SqlCapture {
  readonly statements: CapturedSql[] = [];
  private section: string | null = null;

  /** Hooks the instance: every statement it runs from now on passes by here. */
  attach(sequelize: Sequelize): void {
    const options = (sequelize as unknown as { options: { logging?: unknown } }).options;
    options.logging = (message: string, opts?: { bind?: unknown }) => {
      if (!this.section) return;
      const sql = message.replace(/^Executing \([^)]*\): /s, '');
      this.statements.push({ section: this.section, sql, bind: Array.isArray(opts?.bind) ? opts!.bind : [] });
    };
  }

  /** Captures what `fn` sends under `name`. */
  async during<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.section = name;
    try {
      return await fn();
    } finally {
      this.section = null;
    }
  }

  /** Statements captured elsewhere (a child process) under `name`. */
  add(name: string, statements: Array<{ sql: string; bind: unknown[] }>): void {
    for (const s of statements) this.statements.push({ section: name, ...s });
  }

  /** Each statement text once per section (a page loop sends the same SQL many times). */
  distinct(): CapturedSql[] {
    const seen = new Map<string, CapturedSql>();
    for (const s of this.statements) if (!NO_PLAN.test(s.sql)) seen.set(`${s.section}\0${s.sql}`, s);
    return [...seen.values()];
  }
}

/** Every relation scanned sequentially in a JSON plan. */
function seqScansOf(node: Record<string, any>, found: Set<string>): void {
  const relation = node['Relation Name'];
  if (WATCHED.has(relation)) {
    // With sequential scans off, a Seq Scan left in the plan means no index can serve the query.
    // An index read end to end is not flagged: the bench asks for the whole province, which here
    // is the whole table, so reading it all is the subtree's own size (test/models/subtree-plans
    // checks the range on a county, a small part of the tree).
    if (node['Node Type'] === 'Seq Scan') found.add(relation);
  }
  for (const child of node.Plans ?? []) seqScansOf(child, found);
}

/** EXPLAIN of each captured statement on a connection of its own. */
export async function checkPlans(client: pg.Client, statements: CapturedSql[], opts: { forceIndexes: boolean }): Promise<PlanFinding[]> {
  const findings: PlanFinding[] = [];
  await client.query(`SET enable_seqscan = ${opts.forceIndexes ? 'off' : 'on'}`);
  try {
    for (const s of statements) {
      try {
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${s.sql}`, s.bind);
        const found = new Set<string>();
        seqScansOf(rows[0]['QUERY PLAN'][0].Plan, found);
        findings.push({ section: s.section, sql: s.sql, seqScans: [...found] });
      } catch (err) {
        findings.push({ section: s.section, sql: s.sql, seqScans: [], error: (err as Error).message });
      }
    }
  } finally {
    await client.query('RESET enable_seqscan');
  }
  return findings;
}

/** The statement shortened for a report line. */
export function brief(sql: string, max = 160): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The statement with its literals taken out: a page loop's statements differ only in their cursor. */
export function shapeOf(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "'…'").replace(/\b\d+\b/g, 'N');
}
