import type { System } from '../system';

/** What one run of a job is given. */
export interface JobRun {
  /** This process's name on leases and claims. */
  owner: string;
  /** Aborted when the run lost its lease (another process took over): stop soon. */
  signal: AbortSignal;
  /** The holder whose lease ran out before this run took it over (it is taken to be dead). */
  takenOverFrom: string | null;
}

/** A scheduled job: a cron expression (seconds field allowed) and what one run does. */
export interface Job {
  name: string;
  /** node-cron expression, e.g. `*\/5 * * * * *` (every 5 s) or `0 3 * * *` (03:00 daily). */
  schedule: string;
  /**
   * How long the job's lease lasts without renewal; renewed every third of it while a run goes
   * on, so a crashed holder is taken over after at most this long. Default 30 s.
   */
  leaseMs?: number;
  run(system: System, run: JobRun): Promise<void>;
}
