import { invitationChoices, INVITATION_ACTION } from '../notices/invitations';
import type { Action, Flow, Reply } from '../engine/types';

/** /invitations: the person's open invitations (R13), each with 接受 / 拒绝 buttons. */
export const invitationsFlow: Flow = {
  name: 'invitations',
  version: 1,
  commands: ['invitations'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const open = await ctx.services.invitations.openFor(ctx.actor.personId!);
    if (!open.length) return { replies: [{ text: '您目前没有待答复的组织邀请。' }] };
    const replies: Reply[] = open.map(({ invitation, org }) => ({
      text: `邀请您加入“${org.fullName}”，担任${invitation.title}（${invitation.expiresAt.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })} 前有效）。`,
      choices: invitationChoices(invitation.id),
    }));
    return { replies: [{ text: `您有 ${open.length} 条待答复的组织邀请。接受后在该组织任职，您所在的团支部不变：` }, ...replies] };
  },
};

/** The 接受 / 拒绝 buttons: only the invitee may answer (checked by the presser's account, not the payload). */
export const invitationAction: Action = {
  prefix: INVITATION_ACTION,
  privateOnly: true,
  async handle(ctx, payload) {
    const [answer, rawId] = payload.split(':');
    const id = Number(rawId);
    if ((answer !== 'a' && answer !== 'd') || !Number.isSafeInteger(id) || id <= 0) {
      return [{ text: '这个按钮已失效。发送 /invitations 查看待答复的邀请。' }];
    }
    const { invitation, org } = await ctx.services.invitations.respond(ctx.actor.personId!, id, answer === 'a');
    if (invitation.status === 'accepted') {
      return [{ text: `✅ 已接受邀请，您现任“${org.fullName}”${invitation.title}。您所在的团支部（组织关系）不变。发送 /me 可查看。` }];
    }
    return [{ text: `已拒绝加入“${org.fullName}”的邀请。` }];
  },
};
