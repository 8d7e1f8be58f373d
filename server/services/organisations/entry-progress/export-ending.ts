/**
 * How a background entry-progress export (R17) ends, as data: the job's outcome and the typed
 * notice with the spreadsheet, rendered at delivery (flows/notices/progress.ts). The same
 * shape as an import's ending (membership/roster-import/import-ending.ts).
 */
import type { JobEnding } from '../../platform/job-outcomes';

declare module '../../messaging/notices' {
  interface NoticeKinds {
    /** To the admin who asked: the entry-progress spreadsheet, made (R17). `file`: its name and base64 bytes. */
    'progress.exported': { jobId: number; orgs: number; file: { name: string; base64: string } };
  }
}

/** The job's outcome and its admin's notice for the spreadsheet `sheet`. */
export function exportEnding(jobId: number, sheet: { name: string; data: Buffer; orgs: number }): JobEnding {
  return {
    outcome: { result: 'exported', orgs: sheet.orgs },
    notices: [{ kind: 'progress.exported', jobId, orgs: sheet.orgs, file: { name: sheet.name, base64: sheet.data.toString('base64') } }],
  };
}
