import { formatChinaTime } from '../../server/lib/china-datetime';
import type { JobView } from '../../server/services/platform/background-jobs';
import type { Flow } from '../engine/types';

const STATUS: Record<string, string> = { queued: '排队中', running: '进行中', done: '已完成', failed: '未完成' };

/** How a job ended, in the list's words, from its data (a row from before outcomes were data: its text as it is). */
function outcomeLine(job: JobView): string | null {
  const o = job.outcome;
  switch (o?.result) {
    case undefined:
      return null;
    case 'text':
      return o.text;
    case 'imported':
      return `已导入 ${o.imported} 人`;
    case 'rows-rejected':
      return `有 ${o.errorCount} 行错误，未写入任何数据（已发回错误报告）`;
    case 'already-imported':
      return `名单中的 ${o.rowCount} 人都已有账号，未写入`;
    case 'unreadable':
      return '文件无法导入，未写入任何数据';
    case 'exported':
      return `已生成，共 ${o.orgs} 个组织`;
    case 'failed':
      return `${o.interrupted ? '多次被服务重启打断' : '系统出错'}，${job.kind === 'progress-export' ? '未生成' : '未写入任何数据'}`;
  }
}

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
      const state = j.status === 'running' ? (j.progress ?? '进行中') : j.status === 'queued' ? '排队中' : (outcomeLine(j) ?? STATUS[j.status]);
      return `${j.id}. ${j.title}（${formatChinaTime(j.createdAt)}）\n   ${STATUS[j.status] ?? j.status}：${state}`;
    });
    return { replies: [{ text: `【我的后台任务】（最近 ${jobs.length} 个）\n${lines.join('\n')}` }] };
  },
};
