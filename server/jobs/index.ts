import type { Job } from './job';
import { pruneUpdatesJob } from './prune-updates';
import { REMINDER_JOBS } from './reminders';
import { reverifyIdentitiesJob } from './reverify-identities';

/** Scheduled jobs besides the outbox sender (which needs the channels' deliverers). */
export const JOBS: Job[] = [pruneUpdatesJob, reverifyIdentitiesJob, ...REMINDER_JOBS];
