/** Invitations (R13) in chat: the accept / decline buttons and the two notices. */
import type { Choice } from '../engine/types';
import type { NoticeRenderers } from './types';

/** Action prefix of the accept / decline buttons (handled in flows/organisations/invitations.ts). */
export const INVITATION_ACTION = 'inv';

/** Button value: `!inv:a:<id>` accepts, `!inv:d:<id>` declines. */
export function invitationButtonValue(answer: 'a' | 'd', invitationId: number): string {
  return `!${INVITATION_ACTION}:${answer}:${invitationId}`;
}

/** Accept / decline buttons of one invitation. */
export function invitationChoices(invitationId: number): Choice[][] {
  return [
    [
      { label: '接受', value: invitationButtonValue('a', invitationId) },
      { label: '拒绝', value: invitationButtonValue('d', invitationId) },
    ],
  ];
}

export const invitationNotices: NoticeRenderers<'invitation.received' | 'invitation.answered'> = {
  async 'invitation.received'(services, notice) {
    const subject = await services.notices.invitation(notice.invitationId);
    if (!subject) return null;
    const { invitation, org, inviterName } = subject;
    const until = invitation.expiresAt.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
    return {
      text: `【组织邀请】${inviterName} 邀请您加入“${org.fullName}”，担任${invitation.title}。\n接受后您将在该组织任职，您所在的团支部（组织关系）不变。\n请在 ${until} 前答复。`,
      choices: invitationChoices(invitation.id),
    };
  },
  async 'invitation.answered'(services, notice) {
    const subject = await services.notices.invitation(notice.invitationId);
    if (!subject) return null;
    const { invitation, org, inviteeName } = subject;
    if (invitation.status === 'accepted') return { text: `${inviteeName} 已接受邀请，现任“${org.fullName}”${invitation.title}。` };
    if (invitation.status === 'declined') return { text: `${inviteeName} 拒绝了加入“${org.fullName}”担任${invitation.title}的邀请。` };
    return null;
  },
};
