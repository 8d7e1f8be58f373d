/** Notices about a person's own account: a password reset by an admin, wrong passwords from other chats. */
import { formatChinaTime } from '../../server/lib/china-datetime';
import type { NoticeRenderers } from './types';

export const accountNotices: NoticeRenderers<'account.password_reset' | 'account.login_alert'> = {
  async 'account.password_reset'(services, notice) {
    const admin = (await services.notices.personName(notice.byPersonId)) ?? '';
    return {
      text: `【密码已重置】管理员 ${admin} 已把您的登录密码重置为初始密码（身份证号码后 8 位），您在各聊天中的登录已退出。请发送 /login 重新登录，并按提示设置新密码。如果您没有申请重置，请联系所在组织的管理员。`,
    };
  },
  async 'account.login_alert'(_services, notice) {
    const when = formatChinaTime(new Date(notice.at));
    return {
      text: `【账号安全提醒】您的账号在 ${when}（北京时间）前后从其他聊天连续 ${notice.tries} 次输错密码。如果不是您本人，无需理会，系统已放慢这些尝试；如担心密码泄露，请发送 /password 修改密码。`,
    };
  },
};
