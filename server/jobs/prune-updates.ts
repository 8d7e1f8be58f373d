import type { Job } from './job';

/** Forgets handled update ids older than a day (Telegram stops retrying long before), and ends idle logins. */
export const pruneUpdatesJob: Job = {
  name: 'prune-updates',
  schedule: '17 * * * *',
  async run(system) {
    await system.services.updates.prune();
    const ended = await system.services.bindings.endIdle();
    if (ended) system.logger.info({ ended }, 'idle logins ended');
  },
};
