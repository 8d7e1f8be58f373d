import type { ActivityKind } from '../../models/Activity';
import { isUserError, UserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { ACTIVITY_KIND_LABELS, type ActivityChanges, isActivityKind } from '../../server/services/activities/activities';
import { formatChinaDateTime, parseChinaDateTime, parseEnd } from '../../server/lib/china-datetime';
import { activityCard } from './activity-text';
import { textOf } from '../engine/form';
import type { Flow, FlowContext, FlowEvent, Reply, StepResult } from '../engine/types';
import { button, idArg } from '../engine/types';

type Field = 'kind' | 'title' | 'startsAt' | 'endsAt' | 'place' | 'organiser' | 'notes' | 'signin';
interface State {
  id: number;
  field: Field | null;
}

const LABELS: Record<Field, string> = {
  title: '名称',
  kind: '类别',
  startsAt: '开始时间',
  endsAt: '结束时间',
  place: '地点',
  organiser: '组织者',
  notes: '备注',
  signin: '签到时间',
};
const QUESTIONS: Record<Field, string> = {
  title: '请输入新的活动名称：',
  kind: '请选择活动类别：',
  startsAt: '请输入新的开始时间（如“12月5日 14:00”“明天下午3点”）；结束时间会随之平移：',
  endsAt: '请输入新的结束时间（如“16:30”）或时长（如“2小时”）：',
  place: '请输入新的地点（发送“无”清空）：',
  organiser: '请输入新的组织者（发送“无”清空）：',
  notes: '请输入新的备注（发送“无”清空）：',
  signin: '请输入签到开放时间：开始前几分钟、开始后几分钟，用空格隔开（如“15 30”：开始前 15 分钟到开始后 30 分钟）：',
};
const DONE = 'edit:done';
const fieldButtons = () => [
  ...[
    ['title', 'kind'],
    ['startsAt', 'endsAt'],
    ['place', 'organiser'],
    ['notes', 'signin'],
  ].map((row) => row.map((f) => button(LABELS[f as Field], `edit:${f}`))),
  [button('完成', DONE)],
];

async function menu(ctx: FlowContext, id: number, lead: string): Promise<StepResult<State>> {
  await ctx.services.activities.requireManaged(ctx.actor.personId!, id);
  return { replies: [{ text: `${lead}\n请选择要修改的项目：`, choices: fieldButtons() }], next: { id, field: null } };
}

/** The change a typed answer makes; times as people type them, read back in the card afterwards. */
async function changeOf(ctx: FlowContext, state: State & { field: Field }, event: FlowEvent): Promise<ActivityChanges | 'signin'> {
  const { activity } = await ctx.services.activities.viewManaged(ctx.actor.personId!, state.id);
  if (state.field === 'kind') {
    const kind = event.type === 'choice' ? event.value.replace(/^kind:/, '') : '';
    if (!isActivityKind(kind)) throw UserError.invalid('ACTIVITY_KIND', '请点击按钮选择活动类别。');
    return { kind };
  }
  const text = textOf(event).trim();
  const cleared = text === '无' ? null : text;
  switch (state.field) {
    case 'title':
      return { title: text };
    case 'startsAt': {
      const parsed = parseChinaDateTime(text, ctx.services.deps.now());
      if (!parsed.ok) throw UserError.invalid('ACTIVITY_TIME', parsed.message);
      const length = activity.endsAt.getTime() - activity.startsAt.getTime();
      return { startsAt: parsed.value, endsAt: new Date(parsed.value.getTime() + length) };
    }
    case 'endsAt': {
      const parsed = parseEnd(text, activity.startsAt);
      if (!parsed.ok) throw UserError.invalid('ACTIVITY_TIME', parsed.message);
      return { endsAt: parsed.value };
    }
    case 'signin': {
      const m = /^(\d{1,4})\s*[ ,，、]\s*(\d{1,4})$/.exec(text.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
      if (!m) throw UserError.invalid('SIGNIN_WINDOW', '请发送两个数字，用空格隔开，如“15 30”。');
      await ctx.services.signin.setWindow(ctx.actor.personId!, state.id, Number(m[1]), Number(m[2]));
      return 'signin';
    }
    default:
      return { [state.field]: cleared };
  }
}

/**
 * /activity_edit <id>: corrects a record field by field (R18; audited by the service, and
 * participants already told hear of a new time or place).
 */
export const activityEditFlow: Flow<State> = {
  name: 'activity-edit',
  version: 1,
  commands: ['activity_edit'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx, args) {
    const id = idArg(args);
    if (!id) return { replies: [{ text: '请在 /activities 中打开要修改的活动，再点“修改”。' }] };
    const { activity } = await ctx.services.activities.viewManaged(ctx.actor.personId!, id);
    return menu(ctx, id, `修改活动：${activity.title}（发送 /cancel 取消）`);
  },
  async step(ctx, state, event) {
    if (event.type === 'choice' && event.value === DONE) {
      const view = await ctx.services.activities.viewManaged(ctx.actor.personId!, state.id);
      return { replies: [activityCard(view, await ctx.services.signin.counts(state.id), ctx.services.deps.now())], next: null };
    }
    if (event.type === 'choice' && event.value.startsWith('edit:')) {
      const field = event.value.slice(5) as Field;
      if (!(field in LABELS)) return menu(ctx, state.id, '请选择要修改的项目。');
      const kinds = Object.entries(ACTIVITY_KIND_LABELS).map(([k, l]) => [button(l, `kind:${k}`)]);
      const reply: Reply = { text: QUESTIONS[field], choices: field === 'kind' ? kinds : undefined };
      return { replies: [reply], next: { ...state, field } };
    }
    if (!state.field) return menu(ctx, state.id, '请点击按钮选择要修改的项目，或点“完成”。');
    let change: ActivityChanges | 'signin';
    try {
      change = await changeOf(ctx, { ...state, field: state.field }, event);
      if (change !== 'signin') await ctx.services.activities.update(ctx.actor.personId!, state.id, change);
    } catch (err) {
      if (!isUserError(err)) throw err;
      return { replies: [{ text: `${userErrorText(err)}\n${QUESTIONS[state.field]}` }], next: state };
    }
    const { activity } = await ctx.services.activities.viewManaged(ctx.actor.personId!, state.id);
    const now = `${LABELS[state.field]}已修改。时间：${formatChinaDateTime(activity.startsAt)} 至 ${formatChinaDateTime(activity.endsAt)}；类别：${ACTIVITY_KIND_LABELS[activity.kind as ActivityKind]}`;
    return menu(ctx, state.id, `✅ ${now}\n还要修改别的吗？`);
  },
};
