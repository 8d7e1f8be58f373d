import type { ProgressSink } from './background-jobs';
import type { Job } from './job';

/**
 * Keeps each organiser's sign-in message current (`已签到 37 / 45`): edited in place, at most
 * once per run (every 2 s) however many sign in meanwhile; a channel without a sink (the
 * local chat, which polls) is only marked shown.
 */
export function signinCountersJob(sinks: Record<string, ProgressSink>): Job {
  return {
    name: 'signin-counters',
    schedule: '*/2 * * * * *',
    leaseMs: 10_000,
    async run(system, run) {
      const { signin } = system.services;
      for (const activity of await signin.countersDue()) {
        if (run.signal.aborted) return;
        // The counts as of now: a sign-in while this message is sent shows in the next run.
        const asOf = system.services.deps.now();
        const text = await signin.countsText(activity);
        const sink = sinks[activity.counterChannel ?? ''];
        let messageId = activity.counterMessageId;
        try {
          messageId = (await sink?.show(activity.counterChatId!, messageId, text)) ?? messageId;
        } catch (err) {
          system.logger.warn({ activityId: activity.id, err: (err as Error).message }, 'sign-in counts not shown');
          continue;
        }
        await signin.counterShown(activity.id, messageId, asOf);
      }
    },
  };
}
