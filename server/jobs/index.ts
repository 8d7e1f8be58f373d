import type { Job } from './job';
import { pruneUpdatesJob } from './prune-updates';

/** Scheduled jobs besides the outbox sender (which needs the channels' deliverers). */
export const JOBS: Job[] = [pruneUpdatesJob];
