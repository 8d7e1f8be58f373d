/** Entry progress' notice: the spreadsheet a background job could not make (R17). */
import type { NoticeRenderers } from './types';

export const progressNotices: NoticeRenderers<'progress.export_failed'> = {
  async 'progress.export_failed'(services, notice) {
    const title = (await services.notices.jobTitle(notice.jobId)) ?? '录入进度表';
    const why = notice.interrupted ? `“${title}”多次被服务重启打断，未能生成` : `生成“${title}”时系统出了问题`;
    return { text: `${why}。请稍后发送 /progress 重新点击“导出表格”；如果一再出现，请联系系统管理员。` };
  },
};
