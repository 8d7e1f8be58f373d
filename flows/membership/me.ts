import { KIND_LABELS } from '../../server/services/organisations/organisations';
import { missingPersonFields } from '../../server/services/membership/person-fields';
import { PERSON_ROLE_LABELS, VERIFICATION_LABELS } from '../../server/services/membership/person-labels';
import type { Flow } from '../engine/types';

const blank = (v: string | null) => v ?? '（未填写）';

/** R16, whatever the verification state: every required field filled, or which are not. */
function completeness(p: {
  name: string;
  idMasked: string;
  role: string;
  joinedLeagueAt: string | null;
  phone: string | null;
  ethnicity: string | null;
  education: string | null;
}): string {
  // The card holds the masked ID number: an account always has one.
  const missing = missingPersonFields({ ...p, idCipher: p.idMasked });
  return missing.length ? `尚缺：${missing.join('、')}（发送 /profile 补全）` : '信息完整';
}

/** /me: the person's own profile, the ID number masked (first 6 and last 4). */
export const meFlow: Flow = {
  name: 'me',
  version: 1,
  commands: ['me'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const p = await ctx.services.accounts.profileCard(ctx.actor.personId!, ctx.person);
    if (!p) return { replies: [{ text: '找不到您的账号信息，请重新 /login。' }] };
    const lines = [
      '【我的信息】',
      `姓名：${p.name}`,
      `身份证号码：${p.idMasked}`,
      `性别：${p.gender === 'M' ? '男' : '女'}　出生日期：${p.birthDate}`,
      `政治面貌：${PERSON_ROLE_LABELS[p.role] ?? p.role}`,
      `所在团支部：${p.branchFullName ?? '（未分配）'}`,
      `入团时间：${blank(p.joinedLeagueAt)}`,
      `手机号码：${blank(p.phone)}`,
      `民族：${blank(p.ethnicity)}　学历：${blank(p.education)}`,
      `实名认证：${VERIFICATION_LABELS[p.verificationState] ?? p.verificationState}${p.verificationReason ? `（${p.verificationReason}）` : ''}`,
      completeness(p),
    ];
    if (p.posts.length) lines.push(`职务：${p.posts.map((post) => `${post.orgShortName}${post.title}`).join('、')}`);
    if (p.adminOf.length) lines.push(`管理的组织：${p.adminOf.map((o) => `${o.fullName}（${KIND_LABELS[o.kind]}）`).join('、')}`);
    return { replies: [{ text: lines.join('\n') }] };
  },
};

/** /logout: unbinds this chat user from the account. */
export const logoutFlow: Flow = {
  name: 'logout',
  version: 1,
  commands: ['logout'],
  async start(ctx) {
    const was = await ctx.services.bindings.unbind(ctx.actor.channel, ctx.actor.userId);
    ctx.actor.personId = null;
    if (ctx.actor.isPrivate) await ctx.io.setMenu('guest');
    return { replies: [{ text: was ? '已退出登录。再次使用请发送 /login。' : '您尚未登录。' }] };
  },
};
