/**
 * A member spreadsheet import, on a worker thread (started by the background-jobs runner):
 * reads, checks and writes the job's file, posting progress lines to the thread that started
 * it. The outcome's notices (a summary, or the error report to fix and send back) are queued
 * in the same transaction that ends the job, and for a clean file the same that writes its
 * people: a job is done exactly when its effects are.
 */
import { parentPort } from 'node:worker_threads';
import type { Transaction } from 'sequelize';
import { finalProgressText, progressText } from '../../wording/imports';
import { importEnding } from '../../services/membership/roster-import/import-ending';
import { importRoster, type ImportOutcome } from '../../services/membership/roster-import/importer';
import { buildImportSystem, type ImportSystem } from './import-system';
import { endJob, type JobMessage, type JobWork } from './job-work';
import { workerMain, type WorkerStop } from './worker-main';

/** What the runner hands over. */
export interface RosterImportWork extends JobWork {
  fileName: string;
}

async function run(work: RosterImportWork, stop: WorkerStop): Promise<void> {
  const post = (m: JobMessage) => parentPort!.postMessage(m);
  const system: ImportSystem = await buildImportSystem(work.seed);
  const { services, db } = system;
  try {
    stop.check();
    const buffer = await services.backgroundJobs.input(work.jobId);
    if (!buffer) throw new Error(`job ${work.jobId} has no input`);
    let finished = false;
    /** Ends the job and queues its answer, in `t`; throws (rolling back) when the job is no longer ours. */
    const finish = async (t: Transaction, outcome: ImportOutcome): Promise<void> => {
      const ending = importEnding(work.jobId, work.fileName, outcome);
      await endJob(services, work, ending, t);
      finished = true;
      // Told once committed: a job the runner hears is finished must be finished in the database.
      t.afterCommit(() => post({ type: 'finished', outcome: ending.outcome, progress: finalProgressText(outcome) }));
    };
    const outcome = await importRoster(services, {
      actorPersonId: work.actorPersonId,
      source: { buffer, fileName: work.fileName },
      signal: stop.signal,
      onProgress: (p) => {
        stop.check();
        post({ type: 'progress', text: progressText(p) });
      },
      onCommit: (t, summary) => finish(t, { ok: true, ...summary }),
    });
    if (!finished) {
      stop.check();
      await db.transaction((t) => finish(t, outcome));
    }
  } finally {
    // Every statement and connection closed before the thread ends, stopped or not.
    await system.close();
  }
}

// A failure (or a stop) is posted to the runner, which reports the job failed (or gives it back).
workerMain(run);
