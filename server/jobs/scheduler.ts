import crypto from 'node:crypto';
import cron from 'node-cron';
import type { System } from '../system';
import type { Job } from './job';

/**
 * Runs jobs on their cron schedules (the one node-cron import). Each run first takes the
 * job's lease in the database, so with several processes a run happens in one of them.
 */
export class Scheduler {
  private readonly owner = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  private readonly tasks: Array<{ stop(): unknown }> = [];
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly system: System, private readonly jobs: Job[], private readonly timezone: string) {}

  start(): void {
    for (const job of this.jobs) {
      this.tasks.push(cron.schedule(job.schedule, () => void this.runOnce(job), { name: job.name, timezone: this.timezone, noOverlap: true }));
    }
  }

  /** One run of a job if its lease can be taken; errors are logged, never thrown. */
  async runOnce(job: Job): Promise<boolean> {
    const { services, logger } = this.system;
    if (!(await services.jobLocks.acquire(job.name, this.owner, job.leaseMs ?? 60_000))) return false;
    const run = job
      .run(this.system)
      .catch((err) => logger.error({ err, job: job.name }, 'job failed'))
      .finally(() => services.jobLocks.release(job.name, this.owner).catch(() => undefined));
    this.running.add(run);
    await run;
    this.running.delete(run);
    return true;
  }

  /** Stops scheduling and waits for runs under way. */
  async stop(): Promise<void> {
    for (const t of this.tasks) t.stop();
    await Promise.all(this.running);
  }
}
