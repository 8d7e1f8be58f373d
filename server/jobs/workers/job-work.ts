import type { Transaction } from 'sequelize';
import type { Services } from '../../services';
import type { JobEnding, JobOutcome } from '../../services/platform/job-outcomes';
import type { WorkerSeed } from '../../system';

// What the runner (background-jobs.ts) and its workers say to each other lives here, below
// both: the runner names each worker's data, so a worker importing the runner would be a cycle.

/** What a job's worker posts: progress lines, then how it finished (and its last progress line). */
export type JobMessage = { type: 'progress'; text: string } | { type: 'finished'; outcome: JobOutcome; progress?: string };

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
 * Ends the job as done and queues its admin's notices, in `t` (BackgroundJobs.end): they go out
 * exactly when the job is done. Throws (rolling back) when another runner has taken the job over.
 */
export async function endJob(services: Pick<Services, 'backgroundJobs'>, work: JobWork, ending: JobEnding, t: Transaction): Promise<void> {
  const job = { id: work.jobId, owner: work.owner, actorPersonId: work.actorPersonId, channel: work.channel, chatId: work.chatId };
  if (!(await services.backgroundJobs.end(job, 'done', ending, t))) throw new Error(`job ${work.jobId} was taken over by another runner`);
}
