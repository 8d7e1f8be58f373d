import type { Organisation } from '../../models/Organisation';
import type { OutgoingMessage } from './outbox';

/** Action prefix of the accept / decline buttons; the flows layer registers the handler. */
export const INVITATION_ACTION = 'inv';

/** Button value: `!inv:a:<id>` accepts, `!inv:d:<id>` declines. */
export function invitationButtonValue(answer: 'a' | 'd', invitationId: number): string {
  return `!${INVITATION_ACTION}:${answer}:${invitationId}`;
}

/** Accept / decline buttons of one invitation. */
export function invitationChoices(invitationId: number): OutgoingMessage['choices'] {
  return [[{ label: '接受', value: invitationButtonValue('a', invitationId) }, { label: '拒绝', value: invitationButtonValue('d', invitationId) }]];
}

/** The invitee's notification (R13). */
export function invitationNotice(org: Organisation, title: string, inviterName: string, invitationId: number, expiresAt: Date): OutgoingMessage {
  const until = expiresAt.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
  return {
    text: `【组织邀请】${inviterName} 邀请您加入“${org.fullName}”，担任${title}。\n接受后您将在该组织任职，您所在的团支部（组织关系）不变。\n请在 ${until} 前答复。`,
    choices: invitationChoices(invitationId),
  };
}

/** The inviter's notification once the invitee answers. */
export function answerNotice(inviteeName: string, org: Organisation, title: string, accepted: boolean): OutgoingMessage {
  return { text: accepted ? `${inviteeName} 已接受邀请，现任“${org.fullName}”${title}。` : `${inviteeName} 拒绝了加入“${org.fullName}”担任${title}的邀请。` };
}
