import { attendanceOf, attendanceSheet } from '../../server/services/activities/attendance';
import { formatChinaDateTime } from '../../server/lib/china-datetime';
import { XLSX_MIME } from '../../server/lib/spreadsheet-mime';
import { signinQrPng } from '../../server/services/activities/signin-qr';
import { SIGNIN_PAYLOAD, signinState } from '../../server/services/activities/signin';
import { activityCard, activityListLine, attendanceText, dutiesText, ORGANISER_ACTION, organiserButton } from './activity-text';
import { addAuditFieldLabels } from '../audit/audit-text';
import { addAuditLabels } from '../audit/audit';
import type { Action, Choice, Flow, FlowContext, Reply } from '../engine/types';
import { button, idArg } from '../engine/types';

addAuditLabels({ 'activity.create': '记录活动', 'activity.update': '修改活动', 'activity.signin': '更改签到设置' });
addAuditFieldLabels({
  activityKind: '活动类别',
  activityTitle: '活动名称',
  startsAt: '开始时间',
  endsAt: '结束时间',
  place: '地点',
  organiser: '组织者',
  notes: '备注',
  signinMode: '签到方式',
  signinBeforeMin: '开始前开放签到（分钟）',
  signinAfterMin: '开始后仍可签到（分钟）',
  allowWalkIns: '允许现场签到',
});

async function card(ctx: FlowContext, id: number, lead?: string): Promise<Reply> {
  const view = await ctx.services.activities.viewManaged(ctx.actor.personId!, id);
  const reply = activityCard(view, await ctx.services.signin.counts(id), ctx.services.deps.now());
  return lead ? { ...reply, text: `${lead}\n\n${reply.text}` } : reply;
}

/** The list: what is coming, what was recent, and for a branch what is still due this month and quarter. */
async function list(ctx: FlowContext): Promise<Reply[]> {
  const actor = ctx.actor.personId!;
  const { activities, admins } = ctx.services;
  const roots = await admins.orgsOf(actor);
  if (!roots.length) return [{ text: '只有组织管理员可以查看组织的活动。查看自己参加的活动请发送 /my_activities。' }];
  const [upcoming, past] = await Promise.all([
    activities.listManaged(actor, { when: 'upcoming', limit: 8 }),
    activities.listManaged(actor, { when: 'past', limit: 5 }),
  ]);
  const lines: string[] = ['【活动】（本组织及下级组织）'];
  const choices: Choice[][] = [];
  let n = 0;
  const add = (title: string, items: typeof upcoming) => {
    lines.push('', title);
    if (!items.length) lines.push('（无）');
    for (const item of items) {
      n += 1;
      lines.push(`${n}. ${activityListLine(item)}`);
      choices.push([button(`${n}. ${item.activity.title}`, `/activities ${item.activity.id}`)]);
    }
  };
  add('即将开展：', upcoming);
  add('最近开展：', past);
  for (const org of roots.filter((o) => o.kind === 'branch')) {
    lines.push('', `【${org.fullName} 三会两制一课】`, dutiesText(await activities.duties(org.id, ctx.services.deps.now())));
  }
  choices.push([button('➕ 记录新活动', '/activity')]);
  return [{ text: lines.join('\n'), choices }];
}

/** /activities: the list; `/activities <id>`: one activity's card. */
export const activitiesFlow: Flow = {
  name: 'activities',
  version: 1,
  commands: ['activities'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx, args) {
    const id = idArg(args);
    if (id) return { replies: [await card(ctx, id)] };
    return { replies: await list(ctx) };
  },
};

/** The sign-in panel: code, deep link and QR code while sign-in can be used, buttons to run it by hand. */
async function signinPanel(ctx: FlowContext, id: number): Promise<Reply[]> {
  const { activities, signin } = ctx.services;
  const actor = ctx.actor.personId!;
  const { activity } = await activities.viewManaged(actor, id);
  // From now on this chat gets the live counts, edited in place.
  await signin.watch(actor, id, ctx.actor.channel, ctx.actor.chatId);
  const state = signinState(activity, ctx.services.deps.now());
  const modeButtons: Choice[] = [
    ...(state.open ? [organiserButton('⏹ 结束签到', 'c', id)] : [organiserButton('▶️ 立即开始签到', 'o', id)]),
    ...(activity.signinMode !== 'auto' ? [organiserButton('⏱ 按签到时间', 'a', id)] : []),
  ];
  const choices = [
    modeButtons,
    [organiserButton(activity.allowWalkIns ? '🚫 不允许现场签到' : '✅ 允许现场签到（本组织人员）', 'w', id)],
    [organiserButton('📋 签到名单', 'l', id)],
  ];
  const link = (await ctx.io.startLink?.(`${SIGNIN_PAYLOAD}${activity.signinToken}`)) ?? null;
  const how = [
    `【签到】${activity.title}`,
    `签到码：${activity.signinCode}（参加人员向本机器人发送这 6 位数字即可签到）`,
    ...(link ? [`签到链接：${link}`] : []),
    state.open ? '签到进行中。' : state.reason === 'early' ? `签到将于 ${formatChinaDateTime(state.opensAt)} 开始（也可以立即开始）。` : '签到已结束。',
    '下面的二维码可投在屏幕上，扫码即可签到；签到人数会显示在稍后发出的消息中并自动更新。',
  ].join('\n');
  const replies: Reply[] = [{ text: how, choices }];
  if (link)
    replies.push({
      text: `签到二维码：${activity.title}（签到码 ${activity.signinCode}）`,
      file: { name: `签到二维码-${activity.id}.png`, mime: 'image/png', data: await signinQrPng(link) },
    });
  return replies;
}

/** The organiser's buttons on a card or panel; every one checks the presser's rights again. */
export const organiserAction: Action = {
  prefix: ORGANISER_ACTION,
  privateOnly: true,
  async handle(ctx, payload) {
    const [what, raw] = payload.split(':');
    const id = Number(raw);
    const actor = ctx.actor.personId!;
    const { activityParticipants, signin } = ctx.services;
    switch (what) {
      case 'n': {
        const r = await activityParticipants.notify(actor, id);
        if (!r.told && !r.toldBefore && !r.unreachable)
          return [{ text: '还没有选择参加人员。', choices: [[button('👥 选择参加人员', `/participants ${id}`)]] }];
        const lines = [`已通知 ${r.told} 人${r.toldBefore ? `（此前已通知 ${r.toldBefore} 人）` : ''}。`];
        if (r.unreachable) lines.push(`${r.unreachable} 人还没有在任何聊天中登录，暂时无法通知；他们登录后，再次点击“通知参加人员”即可通知到。`);
        return [{ text: lines.join('\n'), choices: [[organiserButton('📋 查看报名情况', 'l', id)]] }];
      }
      case 's':
        return signinPanel(ctx, id);
      case 'o':
      case 'c':
      case 'a': {
        const mode = what === 'o' ? 'open' : what === 'c' ? 'closed' : 'auto';
        await signin.setMode(actor, id, mode);
        const lead = mode === 'open' ? '✅ 签到已开始。' : mode === 'closed' ? '⏹ 签到已结束。' : '已改回按签到时间自动开启和结束。';
        return [{ text: lead, choices: [[organiserButton('📱 签到面板', 's', id), organiserButton('📋 签到名单', 'l', id)]] }];
      }
      case 'w': {
        const { activity } = await ctx.services.activities.viewManaged(actor, id);
        const updated = await signin.setWalkIns(actor, id, !activity.allowWalkIns);
        return [
          {
            text: updated.allowWalkIns ? '已允许本组织及下级组织未被选定的人员现场签到。' : '已改为只允许选定的参加人员签到。',
            choices: [[organiserButton('📱 签到面板', 's', id)]],
          },
        ];
      }
      case 'l': {
        const { activity, participants } = await activityParticipants.list(actor, id);
        const text = attendanceText(activity, attendanceOf(activity, participants, ctx.services.deps.now()));
        return [{ text, choices: [[organiserButton('📥 导出签到表', 'x', id), button('返回活动', `/activities ${id}`)]] }];
      }
      case 'x': {
        const { activity, orgName, participants } = await activityParticipants.list(actor, id);
        const data = await attendanceSheet(activity, orgName, attendanceOf(activity, participants, ctx.services.deps.now()));
        return [{ text: `签到表：${activity.title}（${participants.length} 人）`, file: { name: `签到表-${activity.id}.xlsx`, mime: XLSX_MIME, data } }];
      }
      default:
        return [{ text: '这个按钮已失效，请重新发送 /activities。' }];
    }
  },
};
