import cron from 'node-cron';
import { ConfigError } from '../config';
import { leaseOwnerName } from '../services/platform/lease-owners';
import type { System } from '../system';
import type { Job } from './job';

/**
 * The jobs with the schedules configured for them (`SCHEDULE_<JOB_NAME>`); a schedule for a job
 * that does not exist, or one node-cron cannot read, stops the start with what is wrong.
 */
export function withSchedules(jobs: Job[], schedules: Record<string, string>): Job[] {
  const problems = Object.entries(schedules).flatMap(([name, expr]) => {
    if (!jobs.some((j) => j.name === name))
      return [`- SCHEDULE_${name.toUpperCase().replace(/-/g, '_')}: there is no job ${name} (jobs: ${jobs.map((j) => j.name).join(', ')})`];
    return cron.validate(expr)
      ? []
      : [`- SCHEDULE_${name.toUpperCase().replace(/-/g, '_')}: "${expr}" is not a cron expression (e.g. "0 10 5 * *": 10:00 on the 5th)`];
  });
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return jobs.map((j) => (schedules[j.name] ? { ...j, schedule: schedules[j.name] } : j));
}

/** A job's lease unless it names its own; renewed every third of it while the job runs. */
const DEFAULT_LEASE_MS = 30_000;

/**
 * Runs jobs on their cron schedules (the one node-cron import). Each run first takes the
 * job's lease in the database for its scheduled time, so with several processes a scheduled
 * run happens once, in one of them, and never overlaps the run before it.
 */
export class Scheduler {
  /** This process's name on leases and claims. */
  readonly owner = leaseOwnerName();
  private readonly tasks: Array<{ stop(): unknown }> = [];
  private readonly running = new Map<string, Promise<boolean>>();
  /** Aborted when the scheduler stops: runs under way wind down. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly system: System,
    private readonly jobs: Job[],
    private readonly timezone: string,
  ) {}

  start(): void {
    const { logger } = this.system;
    // A tick skipped because the run before it goes on is expected (a long import): not worth a warning.
    const cronLogger = {
      info: (m: string) => logger.debug({ cron: m }, 'node-cron'),
      warn: (m: string) => logger.debug({ cron: m }, 'node-cron'),
      error: (m: string | Error) => logger.error({ err: m }, 'node-cron'),
      debug: () => undefined,
    };
    for (const job of this.jobs) {
      // The callback returns the run, so node-cron's noOverlap sees it; runOnce guards as well.
      this.tasks.push(
        cron.schedule(job.schedule, (ctx) => this.runOnce(job, ctx.date), { name: job.name, timezone: this.timezone, noOverlap: true, logger: cronLogger }),
      );
    }
  }

  /** Runs a job now, outside its schedule (e.g. work was just queued for it). */
  runNow(name: string): Promise<boolean> {
    const job = this.jobs.find((j) => j.name === name);
    return job && !this.stopping.signal.aborted ? this.runOnce(job) : Promise.resolve(false);
  }

  /**
   * One run of a job, if no run of it is under way here and its lease can be taken (for
   * `slot`, the time the schedule fired, once across processes). Errors are logged, never thrown.
   */
  runOnce(job: Job, slot?: Date): Promise<boolean> {
    const under = this.running.get(job.name);
    if (under) return under.then(() => false);
    const run = this.leaseAndRun(job, slot && new Date(Math.floor(slot.getTime() / 1000) * 1000));
    this.running.set(job.name, run);
    return run.finally(() => this.running.delete(job.name));
  }

  private async leaseAndRun(job: Job, slot: Date | undefined): Promise<boolean> {
    const { services, logger, metrics } = this.system;
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    const lease = await services.jobLocks.acquire(job.name, this.owner, leaseMs, slot).catch((err: Error) => {
      logger.warn({ err: err.message, job: job.name }, 'could not take a job lease');
      return null;
    });
    if (!lease) return false;
    if (lease.takenOverFrom) logger.warn({ job: job.name, from: lease.takenOverFrom }, 'took over a job whose holder stopped renewing its lease');
    const abort = new AbortController();
    const stop = () => abort.abort();
    this.stopping.signal.addEventListener('abort', stop);
    const renewal = setInterval(
      () => {
        services.jobLocks.renew(job.name, this.owner, leaseMs).then(
          (held) => {
            if (!held && !abort.signal.aborted) {
              logger.warn({ job: job.name }, 'job lease lost; stopping the run');
              abort.abort();
            }
          },
          (err: Error) => logger.warn({ err: err.message, job: job.name }, 'could not renew a job lease'),
        );
      },
      Math.max(leaseMs / 3, 50),
    );
    try {
      await job.run(this.system, { owner: this.owner, signal: abort.signal, takenOverFrom: lease.takenOverFrom });
      metrics.jobRuns.inc({ job: job.name, outcome: 'ok' });
    } catch (err) {
      metrics.jobRuns.inc({ job: job.name, outcome: 'failed' });
      logger.error({ err, job: job.name }, 'job failed');
    } finally {
      clearInterval(renewal);
      this.stopping.signal.removeEventListener('abort', stop);
      await services.jobLocks.release(job.name, this.owner).catch(() => undefined);
    }
    return true;
  }

  /** Stops scheduling, tells runs under way to wind down (a background job goes back to the queue) and waits for them. */
  async stop(): Promise<void> {
    for (const t of this.tasks) t.stop();
    this.stopping.abort();
    await Promise.all(this.running.values());
  }
}
