import { ACTIVITY_KIND_LABELS } from '../../server/services/activities/activities';
import { ACTIVITY_ACTION, responseChoices } from '../notices/activities';
import { formatChinaDateTime } from '../../server/lib/china-datetime';
import { attemptText } from '../../server/wording/activities';
import { SIGNIN_PAYLOAD, signinCodeOf } from '../../server/services/activities/signin';
import { attendanceMarkOf } from '../../server/services/activities/attendance';
import type { Action, Flow, FlowContext, Reply, StepResult } from '../engine/types';
import { button } from '../engine/types';

type State = { step: 'code' };

const ASK_CODE = '请输入活动现场公布的 6 位签到码（或直接扫描现场的二维码）：\n（发送 /cancel 取消）';

async function attempt(ctx: FlowContext, input: string): Promise<StepResult<State>> {
  if (!ctx.actor.personId) {
    // Logging in first, then the same sign-in: a QR code scanned in a new chat still works.
    return {
      replies: [{ text: '签到前请先登录（账号为身份证号码）。登录后会自动为您签到。' }],
      then: { flow: 'login', args: `then signin ${signinCodeOf(input) ?? input}` },
    };
  }
  const result = await ctx.services.signin.attempt(ctx.actor.personId, `${ctx.actor.channel}:${ctx.actor.userId}`, input);
  if (result.kind === 'unknown' && !input.startsWith(SIGNIN_PAYLOAD)) return { replies: [{ text: attemptText(result) }], next: { step: 'code' } };
  // Signed in with R3's initial password (allowed for this): the new password is asked now.
  const mustChange = ctx.person ? ctx.person.mustChangePassword : (await ctx.services.accounts.get(ctx.actor.personId))?.mustChangePassword;
  return { replies: [{ text: attemptText(result) }], then: mustChange ? { flow: 'change-password', args: 'required' } : undefined };
}

/**
 * 活动签到 (R19): `/signin`, a 6-digit code sent at any time, or the deep link of the QR code
 * (`/start signin_<token>`). Once per person; the service says why not otherwise.
 */
export const signinFlow: Flow<State> = {
  name: 'signin',
  version: 1,
  commands: ['signin'],
  idleText: /^(?:签到\s*[:：]?\s*)?[0-9\uFF10-\uFF19]{6}$/,
  async start(ctx, args) {
    const input = args.trim();
    if (!ctx.actor.isPrivate) {
      // Six digits in a group are most likely not meant for us.
      return {
        replies: input && !input.startsWith(SIGNIN_PAYLOAD) ? [] : [{ text: '请在与本机器人的私聊中签到：点开机器人，发送签到码，或扫描现场的二维码。' }],
      };
    }
    if (!input) return { replies: [{ text: ASK_CODE }], next: { step: 'code' } };
    return attempt(ctx, input);
  },
  async step(ctx, _state, event) {
    if (event.type !== 'text') return { replies: [{ text: ASK_CODE }], next: { step: 'code' } };
    if (!signinCodeOf(event.text)) return { replies: [{ text: `签到码是 6 位数字。${ASK_CODE}` }], next: { step: 'code' } };
    return attempt(ctx, event.text);
  },
};

/** 报名 / 不参加 on an invitation (活动登记, R19): only one's own answer, while the activity has not ended. */
export const responseAction: Action = {
  prefix: ACTIVITY_ACTION,
  async handle(ctx, payload) {
    const [what, raw] = payload.split(':');
    if (what !== 'r' && what !== 'd') return [{ text: '这个按钮已失效。' }];
    const { activity, response } = await ctx.services.activityParticipants.respond(ctx.actor.personId!, Number(raw), what === 'r');
    const text =
      response === 'registered'
        ? `已报名：${activity.title}\n时间：${formatChinaDateTime(activity.startsAt)}${activity.place ? `\n地点：${activity.place}` : ''}\n到场后发送签到码或扫描现场的二维码签到。`
        : `已告知组织者您不参加：${activity.title}。如有变化，可以再点“报名”。`;
    return [{ text, choices: responseChoices(activity.id) }];
  },
};

/** /my_activities: what one is invited to, and one's record of what one attended. */
export const myActivitiesFlow: Flow = {
  name: 'my-activities',
  version: 1,
  commands: ['my_activities'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const now = ctx.services.deps.now();
    const rows = await ctx.services.activityParticipants.ofPerson(ctx.actor.personId!, 30);
    if (!rows.length) return { replies: [{ text: '您还没有被邀请参加活动。组织者选您参加后，您会在这里收到通知。' }] };
    // The web app's lists follow the same rule (attendanceMarkOf): waiting is ahead, signed or absent is on record.
    const marked = rows.map((r) => ({ ...r, mark: attendanceMarkOf(r.activity, r, now) }));
    const upcoming = marked.filter((r) => r.mark === 'waiting').reverse();
    const past = marked.filter((r) => r.mark !== 'waiting');
    const answer = { invited: '未答复', registered: '已报名', declined: '不参加' } as const;
    const lines = ['【我的活动】', '', '即将开展：', ...(upcoming.length ? [] : ['（无）'])];
    const choices: Reply['choices'] = [];
    for (const r of upcoming) {
      lines.push(`· ${formatChinaDateTime(r.activity.startsAt)} ${r.activity.title}（${answer[r.response]}）`);
      if (choices.length < 5)
        choices.push([
          button(`报名：${r.activity.title}`, `!${ACTIVITY_ACTION}:r:${r.activity.id}`),
          button('不参加', `!${ACTIVITY_ACTION}:d:${r.activity.id}`),
        ]);
    }
    lines.push('', '参加记录：', ...(past.length ? [] : ['（无）']));
    for (const r of past) {
      const mark = r.signedInAt ? `✅ 已签到 ${formatChinaDateTime(r.signedInAt)}` : '❌ 缺席';
      lines.push(`· ${formatChinaDateTime(r.activity.startsAt)} ${ACTIVITY_KIND_LABELS[r.activity.kind]}：${r.activity.title} — ${mark}`);
    }
    return { replies: [{ text: lines.join('\n'), choices }] };
  },
};
