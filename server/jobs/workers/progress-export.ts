/**
 * An entry-progress spreadsheet of a large subtree (R17), on a worker thread (started by the
 * background-jobs runner): counts, writes the rows with progress lines, then queues the file in
 * the outbox in the same transaction that ends the job, so it is sent exactly when the job is done.
 */
import { parentPort } from 'node:worker_threads';
import { exportEnding } from '../../services/organisations/entry-progress/export-ending';
import { buildWorkerSystem, type System } from '../../system';
import { endJob, type JobMessage, type JobWork } from './job-work';
import { workerMain, type WorkerStop } from './worker-main';

/** What the runner hands over. */
export interface ProgressExportWork extends JobWork {
  orgId: number;
  title: string;
}

async function run(work: ProgressExportWork, stop: WorkerStop): Promise<void> {
  const post = (m: JobMessage) => parentPort!.postMessage(m);
  const system: System = await buildWorkerSystem(work.seed);
  const { services, db } = system;
  try {
    stop.check();
    post({ type: 'progress', text: `正在统计“${work.title}”……` });
    // Rights are checked again here: the admin may have lost them since the job was queued.
    const sheet = await services.entryProgress.sheet(work.actorPersonId, work.orgId, (done, total) => {
      stop.check(); // every few thousand rows of the writing loop, which never awaits
      post({ type: 'progress', text: `正在生成表格：已写入 ${done}/${total} 个组织` });
    });
    stop.check();
    const ending = exportEnding(work.jobId, sheet);
    await db.transaction((t) => endJob(services, work, ending, t));
    post({ type: 'finished', outcome: ending.outcome, progress: `${work.title}已生成，共 ${sheet.orgs} 个组织。` });
  } finally {
    // Every statement and connection closed before the thread ends, stopped or not.
    await system.close();
  }
}

// A failure (or a stop) is posted to the runner, which reports the job failed (or gives it back).
workerMain(run);
