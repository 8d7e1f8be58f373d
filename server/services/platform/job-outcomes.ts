/**
 * How a background job ended, as plain data: stored on the job and worded only where it is
 * shown (the job list, flows/platform/jobs.ts), as notices are (flows/notices).
 */
import type { Notice } from '../messaging/notices';

/** How a job ended. */
export type JobOutcome =
  /** An import wrote its people (R7). */
  | { result: 'imported'; imported: number }
  /** An import found rows in error: nothing written, the error report sent back. */
  | { result: 'rows-rejected'; errorCount: number }
  /** Everyone on the list had an account already: nothing written (R4). */
  | { result: 'already-imported'; rowCount: number }
  /** The file could not be read as a list: nothing written. */
  | { result: 'unreadable' }
  /** An entry-progress spreadsheet was made and sent (R17). */
  | { result: 'exported'; orgs: number }
  /** The job could not finish: interrupted again and again, or a bug. */
  | { result: 'failed'; interrupted: boolean };

/** A stored outcome: data, or the Chinese line of a row written before outcomes were data. */
export type StoredJobOutcome = JobOutcome | { result: 'text'; text: string };

/** How a job ends: its outcome, and the notices its admin is told (queued as the job ends). */
export interface JobEnding {
  outcome: JobOutcome;
  notices: Notice[];
}

/** The outcome column's value. */
export const storedOutcome = (outcome: JobOutcome): string => JSON.stringify(outcome);

/** The outcome column read back: data, an older row's text as it is, or null while the job runs. */
export function readOutcome(stored: string | null): StoredJobOutcome | null {
  if (stored === null) return null;
  if (stored.startsWith('{')) {
    try {
      const data = JSON.parse(stored) as { result?: unknown };
      if (typeof data.result === 'string') return data as JobOutcome;
    } catch {
      // Not JSON after all: an older row's text.
    }
  }
  return { result: 'text', text: stored };
}
