/**
 * How a background import (R7) ends, as data: the job's outcome and the typed notices its
 * admin is told, rendered at delivery (flows/notices/imports.ts). No chat text here.
 */
import type { JobEnding } from '../../platform/job-outcomes';
import type { ImportOutcome, RowProblem } from './importer';

/** Branches named in the summary; the rest are counted. */
const BRANCHES_SHOWN = 5;

/** What an import came to, as its notice carries it. */
export type ImportResult =
  | { ok: true; imported: number; members: number; cadres: number; posts: number; branches: Array<{ fullName: string; count: number }>; branchCount: number }
  /** `report`: the error report (the file sent back with each row's problems), base64. */
  | { ok: false; reason: 'rows'; rowCount: number; errorCount: number; firstRow: number; report: string }
  | { ok: false; reason: 'already-imported'; rowCount: number }
  /** `message`: why the file cannot be read, as the parser said it. */
  | { ok: false; reason: 'format'; message: string };

declare module '../../messaging/notices' {
  interface NoticeKinds {
    /** To the admin who sent the file: how its import ended (R7). */
    'import.finished': { jobId: number; fileName: string; result: ImportResult };
    /** To the same admin, after a report: the first rows in error, to fix. */
    'import.row_errors': { jobId: number; errorCount: number; firstErrors: RowProblem[] };
  }
}

function resultOf(outcome: ImportOutcome): ImportResult {
  if (outcome.ok) {
    const { imported, members, cadres, posts, branches } = outcome;
    return {
      ok: true,
      imported,
      members,
      cadres,
      posts,
      branches: branches.slice(0, BRANCHES_SHOWN).map(({ fullName, count }) => ({ fullName, count })),
      branchCount: branches.length,
    };
  }
  if (outcome.reason === 'rows') {
    const { rowCount, errorCount, firstErrors, report } = outcome;
    return { ok: false, reason: 'rows', rowCount, errorCount, firstRow: firstErrors[0]?.rowNumber ?? 0, report: report.toString('base64') };
  }
  if (outcome.reason === 'already-imported') return { ok: false, reason: 'already-imported', rowCount: outcome.rowCount };
  return { ok: false, reason: 'format', message: outcome.message };
}

/** The job's outcome and its admin's notices for an import of `fileName` that came to `outcome`. */
export function importEnding(jobId: number, fileName: string, outcome: ImportOutcome): JobEnding {
  const finished = { kind: 'import.finished' as const, jobId, fileName, result: resultOf(outcome) };
  if (outcome.ok) return { outcome: { result: 'imported', imported: outcome.imported }, notices: [finished] };
  if (outcome.reason === 'rows') {
    const errors = { kind: 'import.row_errors' as const, jobId, errorCount: outcome.errorCount, firstErrors: outcome.firstErrors };
    return { outcome: { result: 'rows-rejected', errorCount: outcome.errorCount }, notices: [finished, errors] };
  }
  if (outcome.reason === 'already-imported') return { outcome: { result: 'already-imported', rowCount: outcome.rowCount }, notices: [finished] };
  return { outcome: { result: 'unreadable' }, notices: [finished] };
}
