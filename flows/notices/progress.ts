/** Entry progress' notices: the spreadsheet a background job made, or could not make (R17). */
import { XLSX_MIME } from '../../server/lib/spreadsheet-mime';
import type { NoticeRenderers } from './types';

export const progressNotices: NoticeRenderers<'progress.exported' | 'progress.export_failed'> = {
  async 'progress.exported'(services, notice) {
    const title = (await services.notices.jobTitle(notice.jobId)) ?? '录入进度表';
    return {
      text: `${title}（共 ${notice.orgs} 个组织）已生成，请查收。`,
      file: { name: notice.file.name, mime: XLSX_MIME, data: Buffer.from(notice.file.base64, 'base64') },
    };
  },
  async 'progress.export_failed'(services, notice) {
    const title = (await services.notices.jobTitle(notice.jobId)) ?? '录入进度表';
    const why = notice.interrupted ? `“${title}”多次被服务重启打断，未能生成` : `生成“${title}”时系统出了问题`;
    return { text: `${why}。请稍后发送 /progress 重新点击“导出表格”；如果一再出现，请联系系统管理员。` };
  },
};
