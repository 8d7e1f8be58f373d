import type { Job } from './job';

/**
 * Queues the recipients of confirmed announcements in the background, a batch per transaction,
 * round-robin across the announcements waiting: confirming one never waits for its subtree,
 * nor for another announcement. Started at once when one is confirmed in this process, and
 * every few seconds (a restart goes on from the cursor).
 */
export const announcementsJob: Job = {
  name: 'announcements',
  schedule: '*/5 * * * * *',
  leaseMs: 10_000,
  async run(system, run) {
    const { announcements } = system.services;
    while (!run.signal.aborted) {
      if (!(await announcements.enqueueNext())) return;
    }
  },
};
