import type { Reply } from '../../flows/engine/types';
import { BackgroundJob } from '../../models';
import { backgroundJobsJob } from '../../server/jobs/background-jobs';
import { Scheduler } from '../../server/jobs/scheduler';
import type { System } from '../../server/system';
import type { TestChat } from './chat';
import { takeRendered } from './notices';
import { until } from './wait';

/**
 * Runs the queued background jobs (imports) as the server does, on worker threads, and returns
 * what they told `chat` through the outbox. Their progress lines go to `chat.progress`. Fails
 * after `timeoutMs` (below jest's 30 s, so this message is the one shown) if jobs are still queued or running, saying which.
 */
export async function finishJobs(sys: System, chat: TestChat, timeoutMs = 20_000): Promise<Reply[]> {
  const chatId = chat.opts.chatId ?? chat.userId;
  const job = backgroundJobsJob({
    [chat.opts.channel ?? 'test']: {
      show: async (to, messageId, text) => {
        if (to === chatId) chat.progress.push(text);
        return messageId ?? 'progress';
      },
    },
  });
  const scheduler = new Scheduler(sys, [job], 'Asia/Shanghai');
  const unfinished = () => BackgroundJob.findAll({ attributes: ['id', 'kind', 'status'], where: { status: ['queued', 'running'] } });
  await until(
    async () => {
      if ((await unfinished()).length === 0) return true;
      // Nothing run (another runner holds the lease): poll again.
      return (await scheduler.runOnce(job)) && (await unfinished()).length === 0;
    },
    { what: 'the background jobs to finish', timeoutMs, intervalMs: 20, seen: async () => (await unfinished()).map((j) => `#${j.id} ${j.kind} ${j.status}`) },
  );
  return takeRendered(sys, chat.opts.channel ?? 'test', chatId);
}
