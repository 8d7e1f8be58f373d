import type { ActivityKind } from '../../models/Activity';
import { UserError } from '../../server/errors';
import { ACTIVITY_KIND_LABELS, isActivityKind } from '../../server/services/activities/activities';
import { formatChinaDateTime, parseChinaDateTime, parseEnd } from '../../server/lib/china-datetime';
import { searchOrgsWithin } from '../../server/services/organisations/org-search';
import { activityCard } from './activity-text';
import { type FieldOutcome, type FormField, formFlow, type FormState, type FormValues, textOf } from '../engine/form';
import { noResults, orgResultsReply, pickedOrgId, SHOW_FULL } from '../engine/org-picker';
import type { Flow, FlowContext, FlowEvent, Reply } from '../engine/types';
import { button } from '../engine/types';

const SKIP = 'act-form:skip';
/** 我: the organiser is the admin recording it (a name would not fit in a button's value). */
const ME = 'act-form:me';
const YEAR = 366 * 86_400_000;
const KIND_CHOICES = Object.entries(ACTIVITY_KIND_LABELS).map(([kind, label]) => button(label, `kind:${kind}`));
const END_CHOICES = [[button('1小时', 'end:1小时'), button('1.5小时', 'end:1.5小时'), button('2小时', 'end:2小时'), button('半天', 'end:4小时')]];

/** What a field's input is: a button's value or the text typed. */
function answer(event: FlowEvent, prefix: string): string {
  if (event.type === 'choice' && event.value.startsWith(prefix)) return event.value.slice(prefix.length);
  return textOf(event);
}

/** A field that may be left empty with 跳过. */
function optionalText(key: string, question: string, extra: (ctx: FlowContext) => Reply['choices'] = () => []): FormField {
  return {
    key,
    ask: (ctx) => ({ text: question, choices: [...(extra(ctx) ?? []), [button('跳过', SKIP)]] }),
    async take(ctx, event) {
      if (event.type === 'choice' && event.value === SKIP) return { value: '' };
      if (event.type === 'choice' && event.value === ME && ctx.person) return { value: ctx.person.name };
      return { value: textOf(event).trim() };
    },
  };
}

/** The organisation, when the admin could mean more than one: its own as buttons, or a name searched within them. */
const orgField: FormField = {
  key: 'orgId',
  skip: (v) => !!v._orgId,
  async ask(ctx) {
    const roots = await ctx.services.admins.orgsOf(ctx.actor.personId!);
    return {
      text: '这项活动是哪个组织的？请点击选择，或输入下级组织名称（其中几个字）查找：',
      choices: roots.slice(0, 8).map((o) => [button(o.fullName, `org:${o.id}`)]),
    };
  },
  async take(ctx, event, values): Promise<FieldOutcome> {
    const picked = pickedOrgId(event);
    if (picked) {
      if (!(await ctx.services.admins.canManage(ctx.actor.personId!, picked)))
        throw UserError.notAllowed('NOT_ADMIN', '只能为您管理的组织及其下级组织记录活动。');
      const org = await ctx.services.organisations.require(picked);
      return { value: String(picked), note: `组织：${org.fullName}` };
    }
    const roots = await ctx.services.admins.orgsOf(ctx.actor.personId!);
    const query = event.type === 'choice' && event.value === SHOW_FULL ? (values._query ?? '') : textOf(event, '组织名称');
    const found = await searchOrgsWithin(roots, query);
    if (!found.length) return { retry: noResults(query) };
    return { retry: await orgResultsReply(ctx, found, event.type === 'choice'), also: { _query: query } };
  },
};

const fields: FormField[] = [
  orgField,
  {
    key: 'kind',
    ask: () => ({ text: '请选择活动类别：', choices: [KIND_CHOICES.slice(0, 2), KIND_CHOICES.slice(2, 4), KIND_CHOICES.slice(4)] }),
    async take(_ctx, event) {
      const kind = answer(event, 'kind:');
      const found = isActivityKind(kind) ? kind : (Object.entries(ACTIVITY_KIND_LABELS).find(([, l]) => l === kind.trim())?.[0] as ActivityKind | undefined);
      if (!found) throw UserError.invalid('ACTIVITY_KIND', '请点击按钮选择活动类别。');
      return { value: found };
    },
  },
  {
    key: 'title',
    ask: (_ctx, v) => ({ text: `请输入${ACTIVITY_KIND_LABELS[v.kind as ActivityKind]}的名称或主题（如“学习二十大精神主题团日”）：` }),
    async take(_ctx, event) {
      const title = textOf(event, '活动名称').trim();
      if (Array.from(title).length < 2 || Array.from(title).length > 100) throw UserError.invalid('ACTIVITY_TITLE', '活动名称应为 2 到 100 个字。');
      return { value: title };
    },
  },
  {
    key: 'startsAt',
    ask: () => ({ text: '请输入开始时间（北京时间），如“12月5日 14:00”“2026-12-05 14:00”或“明天下午3点”：' }),
    async take(ctx, event) {
      const now = ctx.services.deps.now();
      const parsed = parseChinaDateTime(textOf(event, '开始时间'), now);
      if (!parsed.ok) throw UserError.invalid('ACTIVITY_TIME', parsed.message);
      if (Math.abs(parsed.value.getTime() - now.getTime()) > YEAR)
        throw UserError.invalid('ACTIVITY_TIME', `${formatChinaDateTime(parsed.value)} 离现在超过一年，请检查年份。`);
      const past = parsed.value.getTime() < now.getTime() ? '（已过去的时间：按补录处理）' : '';
      return { value: parsed.value.toISOString(), note: `开始时间：${formatChinaDateTime(parsed.value)}${past}` };
    },
  },
  {
    key: 'endsAt',
    ask: () => ({ text: '请输入结束时间（如“16:30”“下午4点半”），或活动时长：', choices: END_CHOICES }),
    async take(_ctx, event, v) {
      const parsed = parseEnd(answer(event, 'end:'), new Date(v.startsAt));
      if (!parsed.ok) throw UserError.invalid('ACTIVITY_TIME', parsed.message);
      return { value: parsed.value.toISOString(), note: `结束时间：${formatChinaDateTime(parsed.value)}` };
    },
  },
  optionalText('place', '请输入活动地点（如“团委会议室”），没有可点“跳过”：'),
  optionalText('organiser', '请输入组织者（负责人），或点击下面的按钮：', (ctx) => (ctx.person ? [[button(`我（${ctx.person.name}）`, ME)]] : [])),
  optionalText('notes', '还有需要说明的吗（如“请携带团员证”）？没有可点“跳过”：'),
];

/** The organisation: picked, or the only one (kept across 重新填写, as a `_` value). */
const orgOf = (v: FormValues) => Number(v.orgId ?? v._orgId);

function summaryOf(v: FormValues, orgName: string): string {
  return [
    `组织：${orgName}`,
    `类别：${ACTIVITY_KIND_LABELS[v.kind as ActivityKind]}`,
    `名称：${v.title}`,
    `时间：${formatChinaDateTime(new Date(v.startsAt))} 至 ${formatChinaDateTime(new Date(v.endsAt))}`,
    `地点：${v.place || '（未填）'}`,
    `组织者：${v.organiser || '（未填）'}`,
    `备注：${v.notes || '（无）'}`,
  ].join('\n');
}

/**
 * /activity (also /meeting): records a meeting, league lesson or league day (R18), field by
 * field, times read back as understood; then its card with the next steps.
 */
export const activityRecordFlow: Flow<FormState> = {
  ...formFlow({
    name: 'activity-record',
    version: 1,
    commands: ['activity', 'meeting'],
    intro: '记录会议、团课或团日活动。',
    async begin(ctx) {
      const roots = await ctx.services.admins.orgsOf(ctx.actor.personId!);
      if (!roots.length) return { refuse: [{ text: '只有组织管理员可以记录活动。如需成为管理员，请发送 /register_admin。' }] };
      // A branch admin of one branch has nothing to choose.
      const single = roots.length === 1 && roots[0].kind === 'branch';
      const values: FormValues = single ? { _orgId: String(roots[0].id) } : {};
      return { values };
    },
    fields,
    async summary(ctx, v) {
      return summaryOf(v, (await ctx.services.organisations.require(orgOf(v))).fullName);
    },
    async submit(ctx, v) {
      const { activities, signin } = ctx.services;
      const activity = await activities.create(ctx.actor.personId!, {
        orgId: orgOf(v),
        kind: v.kind as ActivityKind,
        title: v.title,
        startsAt: new Date(v.startsAt),
        endsAt: new Date(v.endsAt),
        place: v.place,
        organiser: v.organiser,
        notes: v.notes,
      });
      const view = await activities.viewManaged(ctx.actor.personId!, activity.id);
      const card = activityCard(view, await signin.counts(activity.id), ctx.services.deps.now());
      return [{ ...card, text: `✅ 已记录。\n\n${card.text}` }];
    },
  }),
  requiresLogin: true,
};
