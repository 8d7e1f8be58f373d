import type { Reply } from '../../flows/engine/types';
import { BackgroundJob } from '../../models';
import { backgroundJobsJob } from '../../server/jobs/background-jobs';
import { Scheduler } from '../../server/jobs/scheduler';
import type { System } from '../../server/system';
import type { TestChat } from './chat';
import { takeRendered } from './notices';

/**
 * Runs the queued background jobs (imports) as the server does, on worker threads, and returns
 * what they told `chat` through the outbox. Their progress lines go to `chat.progress`.
 */
export async function finishJobs(sys: System, chat: TestChat): Promise<Reply[]> {
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
  while ((await BackgroundJob.count({ where: { status: ['queued', 'running'] } })) > 0) {
    if (!(await scheduler.runOnce(job))) await new Promise((r) => setTimeout(r, 20));
  }
  return takeRendered(sys, chat.opts.channel ?? 'test', chatId);
}
