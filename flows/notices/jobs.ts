/** Background jobs' notices to the admin who started them. */
import type { NoticeRenderers } from './types';

export const jobNotices: NoticeRenderers<'job.failed'> = {
  async 'job.failed'(services, notice) {
    const title = (await services.notices.jobTitle(notice.jobId)) ?? '文件';
    return {
      text: notice.interrupted
        ? `“${title}”的导入多次被服务重启打断，没有写入任何数据。请重新发送此文件；如果一再出现，请联系系统管理员。`
        : `“${title}”的导入时系统出了问题，没有写入任何数据。请稍后重新发送此文件；如果一再出现，请联系系统管理员。`,
    };
  },
};
