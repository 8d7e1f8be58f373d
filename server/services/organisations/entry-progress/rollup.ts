/**
 * Folds the grouped rows of the progress query (progress-sql.ts) into what an admin is shown:
 * counts by kind for the whole subtree, and for each organisation directly below the root how
 * many of its subtree's organisations are complete. Pure: no database here.
 */
import { ORG_KINDS, type OrgKind } from '../../../../models/Organisation';
import type { RollupRow } from './progress-sql';
import { shortfallOf, shortfallText, type OrgHeadcount } from './rules';

/** Complete and incomplete organisations of one kind. */
export interface KindTally {
  kind: OrgKind;
  complete: number;
  incomplete: number;
}

/** One organisation directly below the root, over its own subtree. */
export interface ChildTally {
  id: number;
  complete: number;
  total: number;
}

/** An incomplete organisation as listed, before its name is read. */
export interface IncompleteEntry {
  id: number;
  kind: OrgKind;
  count: OrgHeadcount;
  /** Why (`还差1名团员；2名团干部信息不完整`), rules.ts' words. */
  reason: string;
}

/** What the grouped rows say. */
export interface Rollup {
  total: number;
  complete: number;
  /** In ORG_KINDS order; kinds the subtree lacks are left out. */
  kinds: KindTally[];
  /** By id (the order they were created in); the chart orders them itself. */
  children: ChildTally[];
  page: IncompleteEntry[];
}

/** PostgreSQL returns counts (bigint) as text. */
const num = (v: number | string | null): number => (v === null ? 0 : Number(v));

/** The headcount and reason of one organisation, as rules.ts sees it. */
export function incompleteEntry(id: number, kind: OrgKind, people: number, bm: number, bc: number): IncompleteEntry {
  const count = { people, incompleteMembers: bm, incompleteCadres: bc };
  return { id, kind, count, reason: shortfallText(shortfallOf(kind, count)) };
}

/** Folds the rows of one rollupSql statement. */
export function foldRollup(rows: RollupRow[]): Rollup {
  const kinds = new Map<OrgKind, KindTally>();
  const children = new Map<number, ChildTally>();
  const page: IncompleteEntry[] = [];
  let total = 0;
  let complete = 0;
  for (const row of rows) {
    const kind = row.kind as OrgKind;
    if (row.part === 'page') {
      page.push(incompleteEntry(Number(row.id), kind, num(row.people), num(row.bm), num(row.bc)));
      continue;
    }
    const n = num(row.n);
    const done = num(row.complete);
    total += n;
    complete += done;
    const tally = kinds.get(kind) ?? { kind, complete: 0, incomplete: 0 };
    tally.complete += done;
    tally.incomplete += n - done;
    kinds.set(kind, tally);
    const childId = num(row.child);
    if (!childId) continue; // the root itself
    const child = children.get(childId) ?? { id: childId, complete: 0, total: 0 };
    child.complete += done;
    child.total += n;
    children.set(childId, child);
  }
  return {
    total,
    complete,
    kinds: ORG_KINDS.filter((k) => kinds.has(k)).map((k) => kinds.get(k)!),
    children: [...children.values()].sort((a, b) => a.id - b.id),
    page,
  };
}
