import { EventEmitter } from 'node:events';
import { detached } from '../../../models/write-scope';
import { Op, type Transaction } from 'sequelize';
import { BackgroundJob } from '../../../models';
import type { ServiceDeps } from '../deps';
import type { Outbox } from '../messaging/outbox';
import { isDeadHere } from './lease-owners';
import { type JobEnding, type JobOutcome, readOutcome, storedOutcome, type StoredJobOutcome } from './job-outcomes';

/** Kinds of background job: a member import (R7), an entry-progress spreadsheet (R17). */
export type BackgroundJobKind = 'roster-import' | 'progress-export';

/** What queuing a job needs. */
export interface NewBackgroundJob {
  kind: BackgroundJobKind;
  actorPersonId: number;
  channel: string;
  chatId: string;
  title: string;
  params: Record<string, unknown>;
  input?: Buffer;
  /** The update that queued it: a redelivered update queues nothing new. */
  dedupeKey?: string;
}

/** A job claimed for running. */
export interface ClaimedJob {
  id: number;
  kind: BackgroundJobKind;
  actorPersonId: number;
  channel: string;
  chatId: string;
  title: string;
  params: Record<string, unknown>;
  attempts: number;
  progressMessageId: string | null;
}

/** A job as its admin sees it in the list. */
export interface JobView {
  id: number;
  kind: BackgroundJobKind;
  title: string;
  status: string;
  progress: string | null;
  /** How it ended (null while it runs), worded by the list. */
  outcome: StoredJobOutcome | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The job whose end is recorded, and the chat and person its notices go to. */
export interface EndingJob {
  id: number;
  owner: string;
  actorPersonId: number;
  channel: string;
  chatId: string;
}

/** What renewing a job's lease found: still ours, ended by this owner, or another runner's now. */
export type JobLeaseState = 'held' | 'finished' | 'lost';

/** Tries before a job that keeps being interrupted (its process dies) is given up. */
export const MAX_JOB_ATTEMPTS = 3;

/**
 * Long work queued by a chat update and run in the background by a runner (see
 * server/jobs/background-jobs.ts): the update only queues it, so no user waits for it. A job
 * is claimed with a lease renewed while it runs; a job whose runner died is claimed again
 * (run anew: its writes are all or nothing) or, after {@link MAX_JOB_ATTEMPTS}, failed and
 * reported. Never silently lost.
 */
export class BackgroundJobs {
  /** `queued`: a job was queued here (a runner in this process may start it at once). */
  readonly events = new EventEmitter();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly outbox: Outbox,
  ) {}

  /** Queues a job; with a dedupe key already used, returns the job queued then. */
  async enqueue(job: NewBackgroundJob, t?: Transaction): Promise<{ id: number; queuedBefore: boolean }> {
    const outcome = await this.deps.db.transaction(async (tx) => {
      if (job.dedupeKey) {
        const earlier = await BackgroundJob.findOne({ where: { dedupeKey: job.dedupeKey }, attributes: ['id'], transaction: tx });
        if (earlier) return { id: earlier.id, queuedBefore: true };
      }
      const row = await BackgroundJob.create(
        {
          kind: job.kind,
          actorPersonId: job.actorPersonId,
          channel: job.channel,
          chatId: job.chatId,
          title: job.title.slice(0, 300),
          params: JSON.stringify(job.params),
          input: job.input ?? null,
          dedupeKey: job.dedupeKey ?? null,
        },
        { transaction: tx },
      );
      return { id: row.id, queuedBefore: false };
    }, t);
    if (outcome.queuedBefore) return outcome;
    // Runners are told once the job can be seen: after the caller's transaction, if there is one.
    const tell = () => void detached(() => setImmediate(() => this.events.emit('queued', outcome.id)));
    if (t) t.afterCommit(tell);
    else tell();
    return outcome;
  }

  /**
   * Claims the oldest job that is queued, or running under a lease that ran out (its runner
   * died). Increments its attempts; a job out of attempts is returned too, for the runner to fail.
   */
  async claimNext(owner: string, leaseMs: number): Promise<ClaimedJob | null> {
    const now = this.deps.now();
    for (let tries = 0; tries < 5; tries++) {
      const running = await BackgroundJob.findAll({ where: { status: 'running', leaseUntil: { [Op.gte]: now } }, attributes: ['owner'] });
      // Jobs of a process of this machine that no longer runs are taken at once (a restart after a crash).
      const dead = [...new Set(running.map((r) => r.owner).filter((o): o is string => isDeadHere(o)))];
      const candidate = await BackgroundJob.findOne({
        where: {
          [Op.or]: [{ status: 'queued' }, { status: 'running', leaseUntil: { [Op.lt]: now } }, ...(dead.length ? [{ status: 'running', owner: dead }] : [])],
        },
        order: [['id', 'ASC']],
        attributes: ['id', 'status', 'owner', 'attempts'],
      });
      if (!candidate) return null;
      // Taken only if nobody took it since it was read.
      const [changed] = await this.deps.db.transaction((t) =>
        BackgroundJob.update(
          { status: 'running', owner, leaseUntil: new Date(now.getTime() + leaseMs), attempts: candidate.attempts + 1 },
          { where: { id: candidate.id, status: candidate.status, attempts: candidate.attempts }, transaction: t },
        ),
      );
      if (changed) {
        const job = (await BackgroundJob.findByPk(candidate.id, { attributes: { exclude: ['input'] } }))!;
        return {
          id: job.id,
          kind: job.kind as BackgroundJobKind,
          actorPersonId: job.actorPersonId,
          channel: job.channel,
          chatId: job.chatId,
          title: job.title,
          params: JSON.parse(job.params),
          attempts: job.attempts,
          progressMessageId: job.progressMessageId,
        };
      }
    }
    return null;
  }

  /** The job's input (the uploaded file). */
  async input(id: number): Promise<Buffer | null> {
    const row = await BackgroundJob.findByPk(id, { attributes: ['id', 'input'] });
    return row?.input ? Buffer.from(row.input) : null;
  }

  /**
   * Extends a running job's lease. `finished`: this owner's worker has already ended the job (its
   * message may not have arrived yet), not a lost lease; `lost`: another runner has it now.
   */
  async renew(id: number, owner: string, leaseMs: number): Promise<JobLeaseState> {
    const [n] = await this.deps.db.transaction((t) =>
      BackgroundJob.update({ leaseUntil: new Date(this.deps.now().getTime() + leaseMs) }, { where: { id, owner, status: 'running' }, transaction: t }),
    );
    if (n > 0) return 'held';
    const row = await BackgroundJob.findByPk(id, { attributes: ['id', 'status', 'owner'] });
    return row && (row.status === 'done' || row.status === 'failed') && row.owner === owner ? 'finished' : 'lost';
  }

  /** Records where a running job stands (and the message that shows it). */
  async progress(id: number, owner: string, text: string, messageId?: string | null): Promise<void> {
    await this.deps.db.transaction((t) =>
      BackgroundJob.update(
        { progress: text.slice(0, 200), ...(messageId !== undefined ? { progressMessageId: messageId } : {}) },
        { where: { id, owner, status: 'running' }, transaction: t },
      ),
    );
  }

  /**
   * Ends a job, its input dropped; in `t` when the job's own writes go with it. False when the job
   * was not this owner's any more. The owner stays on it: a renewal racing the end tells "finished
   * by me" from "taken over".
   */
  async finish(id: number, owner: string, status: 'done' | 'failed', outcome: JobOutcome, t?: Transaction): Promise<boolean> {
    const [n] = await this.deps.db.transaction(
      (tx) =>
        BackgroundJob.update(
          { status, outcome: storedOutcome(outcome), input: null, leaseUntil: null, finishedAt: this.deps.now() },
          { where: { id, owner, status: 'running' }, transaction: tx },
        ),
      t,
    );
    return n > 0;
  }

  /**
   * Ends a job (done or failed) and queues the notices telling its admin, in one transaction
   * (`t` when the job's own writes go with it): they go out exactly when the job has ended, and
   * never for a job that was not this owner's any more (false then, nothing queued).
   */
  async end(job: EndingJob, status: 'done' | 'failed', ending: JobEnding, t?: Transaction): Promise<boolean> {
    return this.deps.db.transaction(async (tx) => {
      if (!(await this.finish(job.id, job.owner, status, ending.outcome, tx))) return false;
      for (const [i, notice] of ending.notices.entries()) {
        await this.outbox.enqueue(job.channel, job.chatId, notice, { personId: job.actorPersonId, dedupeKey: `job:${job.id}:${status}:${i}`, t: tx });
      }
      return true;
    }, t);
  }

  /** Gives a running job back to the queue (this process stops): the next runner starts it anew. */
  async release(id: number, owner: string): Promise<void> {
    await this.deps.db.transaction((t) =>
      BackgroundJob.update(
        { status: 'queued', owner: null, leaseUntil: null, attempts: this.deps.db.sequelize.literal('attempts - 1') as unknown as number },
        { where: { id, owner, status: 'running' }, transaction: t },
      ),
    );
  }

  /** A person's latest jobs, newest first. */
  async listFor(actorPersonId: number, limit = 10): Promise<JobView[]> {
    const rows = await BackgroundJob.findAll({
      where: { actorPersonId },
      order: [['id', 'DESC']],
      limit,
      attributes: ['id', 'kind', 'title', 'status', 'progress', 'outcome', 'createdAt', 'finishedAt'],
    });
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as BackgroundJobKind,
      title: r.title,
      status: r.status,
      progress: r.progress,
      outcome: readOutcome(r.outcome),
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
    }));
  }

  /** The progress lines of a chat's running jobs (the local chat shows them when it polls). */
  async runningIn(channel: string, chatId: string): Promise<string[]> {
    const rows = await BackgroundJob.findAll({ where: { channel, chatId, status: ['queued', 'running'] }, attributes: ['progress'], order: [['id', 'ASC']] });
    return rows.map((r) => r.progress).filter((p): p is string => !!p);
  }
}
