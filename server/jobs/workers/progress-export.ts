/**
 * An entry-progress spreadsheet of a large subtree (R17), on a worker thread (started by the
 * background-jobs runner): counts, writes the rows with progress lines, then queues the file in
 * the outbox in the same transaction that ends the job, so it is sent exactly when the job is done.
 */
import { XLSX_MIME } from '../../services/spreadsheet-mime';
import { parentPort, workerData } from 'node:worker_threads';
import { buildWorkerSystem, type System } from '../../system';
import type { JobMessage } from '../background-jobs';
import { answerAndFinish, type JobWork } from './job-work';

/** What the runner hands over. */
export interface ProgressExportWork extends JobWork {
  orgId: number;
  title: string;
}


async function run(work: ProgressExportWork): Promise<void> {
  const post = (m: JobMessage) => parentPort!.postMessage(m);
  const system: System = await buildWorkerSystem(work.seed);
  const { services, db } = system;
  try {
    post({ type: 'progress', text: `正在统计“${work.title}”……` });
    // Rights are checked again here: the admin may have lost them since the job was queued.
    const sheet = await services.entryProgress.sheet(work.actorPersonId, work.orgId, (done, total) =>
      post({ type: 'progress', text: `正在生成表格：已写入 ${done}/${total} 个组织` }),
    );
    const outcome = `已生成，共 ${sheet.orgs} 个组织`;
    await db.transaction(async (t) => {
      const message = { text: `${work.title}（共 ${sheet.orgs} 个组织）已生成，请查收。`, file: { name: sheet.name, mime: XLSX_MIME, base64: sheet.data.toString('base64') } };
      await answerAndFinish(services, work, [message], outcome, t);
    });
    post({ type: 'finished', outcome, progress: `${work.title}已生成，共 ${sheet.orgs} 个组织。` });
  } finally {
    await system.close();
  }
}

// A failure ends the thread with the error: the runner sees it and reports the job failed.
void run(workerData as ProgressExportWork);
