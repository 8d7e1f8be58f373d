/**
 * A member spreadsheet import, on a worker thread (started by the background-jobs runner):
 * reads, checks and writes the job's file, posting progress lines to the thread that started
 * it. The outcome (a summary, or the error report to fix and send back) is queued in the
 * outbox in the same transaction that ends the job, and for a clean file the same that
 * writes its people: a job is done exactly when its effects are.
 */
import { parentPort } from 'node:worker_threads';
import type { Transaction } from 'sequelize';
import { outcomeReplies, progressText } from '../../../flows/membership/import-replies';
import { outgoingOf } from '../../../flows/engine/types';
import { importRoster, type ImportOutcome } from '../../services/membership/roster-import/importer';
import { buildWorkerSystem, type System } from '../../system';
import type { JobMessage } from '../background-jobs';
import { answerAndFinish, type JobWork } from './job-work';
import { workerMain, type WorkerStop } from './worker-main';

/** What the runner hands over. */
export interface RosterImportWork extends JobWork {
  fileName: string;
}

/** A line for the admin's job list. */
function outcomeLine(outcome: ImportOutcome): string {
  if (outcome.ok) return `已导入 ${outcome.imported} 人`;
  if (outcome.reason === 'rows') return `有 ${outcome.errorCount} 行错误，未写入任何数据（已发回错误报告）`;
  if (outcome.reason === 'already-imported') return `名单中的 ${outcome.rowCount} 人都已有账号，未写入`;
  return '文件无法导入，未写入任何数据';
}

async function run(work: RosterImportWork, stop: WorkerStop): Promise<void> {
  const post = (m: JobMessage) => parentPort!.postMessage(m);
  const system: System = await buildWorkerSystem(work.seed);
  const { services, db } = system;
  try {
    stop.check();
    const buffer = await services.backgroundJobs.input(work.jobId);
    if (!buffer) throw new Error(`job ${work.jobId} has no input`);
    let finished = false;
    /** Ends the job and queues its answer, in `t`; throws (rolling back) when the job is no longer ours. */
    const finish = async (t: Transaction, outcome: ImportOutcome): Promise<void> => {
      const answer = outcomeReplies(outcome, work.fileName);
      await answerAndFinish(services, work, answer.replies.map(outgoingOf), outcomeLine(outcome), t);
      finished = true;
      // Told once committed: a job the runner hears is finished must be finished in the database.
      t.afterCommit(() => post({ type: 'finished', outcome: outcomeLine(outcome), progress: answer.progress }));
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
