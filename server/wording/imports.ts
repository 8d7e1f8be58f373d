/**
 * An import's progress message, in the words both the import conversation (flows/membership)
 * and the background worker that edits it as rows are read (server/jobs/workers) use.
 */
import type { ImportOutcome, ImportProgress } from '../services/membership/roster-import/importer';

/** The progress line of an import. */
export function progressText(p: ImportProgress): string {
  if (p.phase === 'saving') return `已处理 ${p.done}/${p.done} 行，全部正确，正在保存……`;
  return p.total ? `正在检查：已处理 ${p.done}/${p.total} 行` : `正在检查：已处理 ${p.done} 行`;
}

/** The progress message's last line, once the import has ended (its outcome is a notice: flows/notices/imports.ts). */
export function finalProgressText(outcome: ImportOutcome): string {
  if (outcome.ok) return `已处理 ${outcome.imported}/${outcome.imported} 行，已全部写入`;
  if (outcome.reason === 'format') return '文件无法导入';
  if (outcome.reason === 'already-imported') return `已处理 ${outcome.rowCount}/${outcome.rowCount} 行`;
  return `已处理 ${outcome.rowCount}/${outcome.rowCount} 行，发现 ${outcome.errorCount} 行有错误`;
}
