import type { System } from '../system';

/** A scheduled job: a cron expression (seconds field allowed) and what one run does. */
export interface Job {
  name: string;
  /** node-cron expression, e.g. `*\/5 * * * * *` (every 5 s) or `0 3 * * *` (03:00 daily). */
  schedule: string;
  /** How long one run may hold the job's lease, so a crashed process does not block it for ever. */
  leaseMs?: number;
  run(system: System): Promise<void>;
}
