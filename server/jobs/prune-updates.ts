import type { Job } from './job';

/** Forgets handled update ids older than a day (Telegram stops retrying long before). */
export const pruneUpdatesJob: Job = {
  name: 'prune-updates',
  schedule: '17 * * * *',
  async run(system) {
    await system.services.updates.prune();
  },
};
