import { formatChinaTime } from '../../server/lib/china-datetime';
import { addMenuCommands } from '../engine/menu';
import type { Flow } from '../engine/types';

addMenuCommands('admin', [{ command: 'jobs', description: '后台任务（导入、导出进度）' }]);

const STATUS: Record<string, string> = { queued: '排队中', running: '进行中', done: '已完成', failed: '未完成' };


/** /jobs: the person's own background jobs (imports), running ones with where they stand. */
export const jobsFlow: Flow = {
  name: 'jobs',
  version: 1,
  commands: ['jobs'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const jobs = await ctx.services.backgroundJobs.listFor(ctx.actor.personId!);
    if (!jobs.length) return { replies: [{ text: '您还没有后台任务。发送团员名单文件即可开始导入。' }] };
    const lines = jobs.map((j) => {
      const state = j.status === 'running' ? (j.progress ?? '进行中') : j.status === 'queued' ? '排队中' : (j.outcome ?? STATUS[j.status]);
      return `${j.id}. ${j.title}（${formatChinaTime(j.createdAt)}）\n   ${STATUS[j.status] ?? j.status}：${state}`;
    });
    return { replies: [{ text: `【我的后台任务】（最近 ${jobs.length} 个）\n${lines.join('\n')}` }] };
  },
};
