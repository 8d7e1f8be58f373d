import type { Transaction } from 'sequelize';
import type { Services } from '../../services';
import type { OutgoingMessage } from '../../services/messaging/outbox';
import type { WorkerSeed } from '../../system';

/** The worker data every kind of background job gets; a kind adds its own. */
export interface JobWork {
  seed: WorkerSeed;
  jobId: number;
  owner: string;
  actorPersonId: number;
  channel: string;
  chatId: string;
}

/**
 * Queues the job's answer to its chat and ends the job, both in `t`: the answer goes out exactly
 * when the job is done. Throws (rolling back) when another runner has taken the job over.
 */
export async function answerAndFinish(services: Services, work: JobWork, answer: OutgoingMessage[], outcome: string, t: Transaction): Promise<void> {
  for (const [i, message] of answer.entries()) {
    await services.outbox.enqueue(work.channel, work.chatId, message, { personId: work.actorPersonId, dedupeKey: `job:${work.jobId}:${i}`, t });
  }
  if (!(await services.backgroundJobs.finish(work.jobId, work.owner, 'done', outcome, t))) throw new Error(`job ${work.jobId} was taken over by another runner`);
}
