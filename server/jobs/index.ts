import type { Services } from '../services';
import type { Deliverer } from '../services/messaging/outbox';
import { announcementsJob } from './announcements';
import { backgroundJobsJob, type ProgressSink } from './background-jobs';
import type { Job } from './job';
import { outboxSenderJob } from './outbox-sender';
import { pruneUpdatesJob } from './prune-updates';
import { REMINDER_JOBS } from './reminders';
import { reverifyIdentitiesJob } from './reverify-identities';
import type { Scheduler } from './scheduler';
import { signinCountersJob } from './signin-counters';

/** What the jobs that talk to chats need of the channels, by channel name. */
export interface JobChannels {
  /** Who delivers outbox messages (Telegram); a channel without one reads its messages from its inbox. */
  deliverers: Record<string, Deliverer>;
  /** Where a background job's progress and a sign-in's counts are shown. */
  progressSinks: Record<string, ProgressSink>;
  /** Outbox messages in flight at once (OUTBOX_CONCURRENCY). */
  outboxConcurrency?: number;
}

/** The jobs that need nothing of the channels: `npm run job -- <name>` runs one of them by hand. */
export const HAND_RUN_JOBS: Job[] = [pruneUpdatesJob, reverifyIdentitiesJob, ...REMINDER_JOBS];

/** Every scheduled job, in one list: a new job is added here and nowhere else. */
export function scheduledJobs(channels: JobChannels): Job[] {
  return [
    outboxSenderJob(channels.deliverers, { concurrency: channels.outboxConcurrency }),
    backgroundJobsJob(channels.progressSinks),
    signinCountersJob(channels.progressSinks),
    announcementsJob,
    ...HAND_RUN_JOBS,
  ];
}

/**
 * Runs a job at once when this process queues work for it, not at its next tick (a scheduler
 * without that job ignores it).
 */
export function runWhenQueued(services: Services, scheduler: Scheduler): void {
  services.backgroundJobs.events.on('queued', () => void scheduler.runNow('background-jobs'));
  services.announcements.events.on('queued', () => void scheduler.runNow('announcements'));
}
