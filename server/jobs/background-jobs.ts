import type { BackgroundJobKind, BackgroundJobs, ClaimedJob } from '../services/platform/background-jobs';
import { MAX_JOB_ATTEMPTS } from '../services/platform/background-jobs';
import type { System } from '../system';
import type { Job, JobRun } from './job';
import { runInWorker, wasStopped, WorkerLeftRunning } from './worker-thread';
import type { ProgressExportWork } from './workers/progress-export';
import type { RosterImportWork } from './workers/roster-import';
import type { JobMessage, JobWork } from './workers/job-work';
import type { JobOutcome } from '../services/platform/job-outcomes';

/** Shows a background job's progress in its chat: one message, edited in place. */
export interface ProgressSink {
  /** Shows `text`, editing `messageId` when given; returns the message's id (null when the channel keeps none). */
  show(chatId: string, messageId: string | null, text: string): Promise<string | null>;
}

/**
 * An import's heap, in MB: V8 then collects as it goes instead of growing towards its default
 * limit. A clean 100,000-row import peaks at 238–273 MB of the whole process this way (over 350
 * MB without), and a file where every one of 100,000 rows is wrong still fits (measured).
 */
export const IMPORT_HEAP_MB = 256;

/** A running job's lease: renewed every third of it; a dead runner's job is taken over after it. */
const JOB_LEASE_MS = 30_000;
/** At most one progress edit a second (each change of phase and the last line always shown). */
const PROGRESS_EVERY_MS = 1000;

/** Shows progress lines at most once a second, in order, never blocking the job. */
function throttled(show: (text: string) => Promise<void>) {
  let last = 0;
  let pending: string | null = null;
  let chain = Promise.resolve();
  const flush = () => {
    if (pending === null) return;
    const text = pending;
    pending = null;
    last = Date.now();
    chain = chain.then(() => show(text)).catch(() => undefined);
  };
  return {
    line(text: string, force = false) {
      pending = text;
      if (force || Date.now() - last >= PROGRESS_EVERY_MS) flush();
    },
    async done(): Promise<void> {
      flush();
      await chain;
    },
  };
}

/** The worker data every kind gets (JobWork); a kind adds its own. */
type CommonWork = keyof JobWork;

/** How a kind of job runs: its worker module and heap, what is said when it restarts, and the notice when it fails. */
interface JobKind {
  module: string;
  maxHeapMb: number;
  work(job: ClaimedJob): Record<string, unknown>;
  restarted(title: string): string;
  failedNotice: 'job.failed' | 'progress.export_failed';
}

const KINDS: Record<BackgroundJobKind, JobKind> = {
  'roster-import': {
    module: 'roster-import.ts',
    maxHeapMb: IMPORT_HEAP_MB,
    work: (job): Omit<RosterImportWork, CommonWork> => ({ fileName: String(job.params.fileName ?? job.title) }),
    restarted: (title) => `服务曾中断，“${title}”的导入已重新开始（之前没有写入任何数据）……`,
    failedNotice: 'job.failed',
  },
  'progress-export': {
    module: 'progress-export.ts',
    maxHeapMb: IMPORT_HEAP_MB, // 100,000 rows through exceljs' streaming writer fit well within it
    work: (job): Omit<ProgressExportWork, CommonWork> => ({ orgId: Number(job.params.orgId), title: job.title }),
    restarted: (title) => `服务曾中断，“${title}”已重新开始生成……`,
    failedNotice: 'progress.export_failed',
  },
};

/** A running job's lease, renewed every third of it until the job ends. */
export interface JobLease {
  /** One renewal now (the timer calls it too). */
  renew(): Promise<void>;
  /** No more renewals: the job has ended (its worker posted how). */
  end(): void;
}

/**
 * Keeps a job's lease while its worker runs. `onLost` only when another runner has the job
 * now; a job the worker has just finished (its message still on the way) is not lost, and
 * once it has ended no renewal is looked at any more.
 */
export function keepJobLease(
  jobs: Pick<BackgroundJobs, 'renew'>,
  job: { id: number; owner: string; leaseMs: number },
  on: { lost(): void; error(err: Error): void },
): JobLease {
  let ended = false;
  const lease: JobLease = {
    async renew() {
      if (ended) return;
      const state = await jobs.renew(job.id, job.owner, job.leaseMs).catch((err: Error) => {
        on.error(err);
        return 'held' as const; // tried again at the next tick; the lease lasts three of them
      });
      if (ended || state === 'held') return;
      lease.end();
      if (state === 'lost') on.lost();
    },
    end() {
      ended = true;
      clearInterval(timer);
    },
  };
  const timer = setInterval(() => void lease.renew(), job.leaseMs / 3);
  return lease;
}

/** Runs one claimed job on a worker thread, with its lease renewed and its progress shown. */
async function runJob(system: System, job: ClaimedJob, sinks: Record<string, ProgressSink>, run: JobRun, leaseMs: number): Promise<void> {
  const { services, logger, metrics } = system;
  const jobs = services.backgroundJobs;
  const sink = sinks[job.channel];
  let messageId = job.progressMessageId;
  const progress = throttled(async (text) => {
    messageId = (await sink?.show(job.chatId, messageId, text).catch(() => messageId)) ?? messageId;
    await jobs.progress(job.id, run.owner, text, messageId);
  });
  const kind = KINDS[job.kind];
  const fail = async (interrupted: boolean) => {
    await progress.done();
    await jobs.end({ ...job, owner: run.owner }, 'failed', {
      outcome: { result: 'failed', interrupted },
      notices: [{ kind: kind.failedNotice, jobId: job.id, interrupted }],
    });
    metrics.backgroundJobs.inc({ kind: job.kind, outcome: 'failed' });
  };
  if (job.attempts > MAX_JOB_ATTEMPTS) return fail(true);
  if (job.attempts > 1) {
    messageId = null; // a new message: the old one may be far up the chat
    progress.line(kind.restarted(job.title), true);
  }

  // Stopping is asked of the worker, which winds down and ends by itself (see worker-thread.ts).
  const stop = new AbortController();
  const onStop = () => stop.abort();
  run.signal.addEventListener('abort', onStop);
  if (run.signal.aborted) onStop(); // stopped while the job was being claimed
  const lease = keepJobLease(
    jobs,
    { id: job.id, owner: run.owner, leaseMs },
    {
      lost() {
        logger.warn({ jobId: job.id }, 'background job lease lost; stopping it');
        stop.abort();
      },
      error: (err) => logger.warn({ err: err.message, jobId: job.id }, 'could not renew a background job lease'),
    },
  );
  let finishedAs: JobOutcome | null = null;
  let failure: unknown = null;
  try {
    const work = {
      seed: system.workerSeed(),
      jobId: job.id,
      owner: run.owner,
      actorPersonId: job.actorPersonId,
      channel: job.channel,
      chatId: job.chatId,
      ...kind.work(job),
    };
    await runInWorker(kind.module, work as unknown as Record<string, unknown>, {
      signal: stop.signal,
      maxHeapMb: kind.maxHeapMb,
      onMessage: (m) => {
        const message = m as JobMessage;
        if (message.type === 'progress') progress.line(message.text);
        else {
          finishedAs = message.outcome;
          lease.end(); // done: nothing to renew, and nothing is a reason to stop the worker now
          if (message.progress) progress.line(message.progress, true);
        }
      },
    });
  } catch (err) {
    failure = err;
  } finally {
    lease.end();
    run.signal.removeEventListener('abort', onStop);
  }
  if (failure instanceof WorkerLeftRunning)
    logger.error({ err: failure, jobId: job.id, kind: job.kind }, 'a stopped background job did not end by itself; left running');
  if (finishedAs !== null) {
    // The job's effects are committed: whatever happened after (closing the database) does not undo them.
    if (failure && !(failure instanceof WorkerLeftRunning))
      logger.error({ err: failure, jobId: job.id }, 'background job worker failed after finishing its job');
    await progress.done();
    metrics.backgroundJobs.inc({ kind: job.kind, outcome: 'done' });
    logger.info({ jobId: job.id, kind: job.kind, outcome: finishedAs }, 'background job done');
    return;
  }
  if (stop.signal.aborted || wasStopped(failure)) {
    await progress.done();
    await jobs.release(job.id, run.owner); // the next runner starts it anew (nothing was written); a no-op if another has it
    return;
  }
  logger.error({ err: failure ?? new Error('the worker ended without finishing the job'), jobId: job.id, kind: job.kind }, 'background job failed');
  await fail(false);
}

/**
 * Runs queued background jobs (imports, spreadsheets) one after another: each on a worker thread of its own,
 * so the thread that answers users never waits for it. A tick takes the next queued job, or
 * one whose runner died (its lease ran out). `leaseMs`: each job's lease (tests shorten it to
 * renew every few milliseconds).
 */
export function backgroundJobsJob(sinks: Record<string, ProgressSink>, opts: { leaseMs?: number } = {}): Job {
  const leaseMs = opts.leaseMs ?? JOB_LEASE_MS;
  return {
    name: 'background-jobs',
    schedule: '*/2 * * * * *',
    leaseMs: JOB_LEASE_MS,
    async run(system, run) {
      while (!run.signal.aborted) {
        const job = await system.services.backgroundJobs.claimNext(run.owner, leaseMs);
        if (!job) return;
        await runJob(system, job, sinks, run, leaseMs);
      }
    },
  };
}
