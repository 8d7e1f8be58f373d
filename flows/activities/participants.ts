import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { MAX_PARTICIPANTS, PEOPLE_PAGE, type Pickable, type PickableOrg, type PickerView } from '../../server/services/activities/activity-participants';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import { quoteInput } from '../../server/lib/quote';
import { organiserButton } from './activity-text';
import { shortLabel } from '../engine/org-picker';
import type { Choice, Flow, FlowContext, FlowEvent, Reply, StepResult } from '../engine/types';
import { button, idArg } from '../engine/types';

/** Where the picker is: the activity, the organisation shown (null: the activity's own) and the page of its people. */
interface State {
  id: number;
  orgId: number | null;
  page: number;
}
type Result = StepResult<State>;

const P = 'pick:';
const orgLabel = (o: PickableOrg) => `${shortLabel(o.fullName)}（${o.people}人）`;
const personLabel = (p: Pickable) => `${p.picked ? '✅' : '⬜'} ${p.name} ${p.idMasked.slice(-4)}`;
const personButton = (p: Pickable): Choice => button(personLabel(p), `${P}p:${p.id}`);

/** One organisation of the picker as a message: its people to tick, its children to open, 全选. */
function viewReply(view: PickerView, page: number, lead?: string): Reply {
  const { org } = view;
  const pages = Math.max(1, Math.ceil(view.peopleTotal / PEOPLE_PAGE));
  const lines = [
    ...(lead ? [lead, ''] : []),
    `【选择参加人员】已选 ${view.picked} / ${MAX_PARTICIPANTS} 人`,
    `当前组织：${org.fullName}（${KIND_LABELS[org.kind]}，含下级共 ${org.people} 人）`,
    view.peopleTotal ? `本组织人员（第 ${page + 1}/${pages} 页），点击姓名选中或取消：` : '本组织没有直属人员。',
    ...(view.children.length ? [`下级组织 ${view.children.length} 个，点击进入；`] : []),
    '也可以直接输入姓名或组织名称查找。',
  ];
  const choices: Choice[][] = [[button(`☑️ 全选本组织及下级（${org.people}人）`, `${P}all:${org.id}`)]];
  for (let i = 0; i < view.people.length; i += 2) choices.push(view.people.slice(i, i + 2).map(personButton));
  const paging = [...(page > 0 ? [button('◀ 上一页', `${P}pg:${page - 1}`)] : []), ...(page + 1 < pages ? [button('下一页 ▶', `${P}pg:${page + 1}`)] : [])];
  if (paging.length) choices.push(paging);
  for (const child of view.children) choices.push([button(`📂 ${orgLabel(child)}`, `${P}go:${child.id}`)]);
  choices.push([...(view.parentId ? [button('⬆ 上级组织', `${P}go:${view.parentId}`)] : []), button('查看已选', `${P}list`), button('✅ 完成', `${P}done`)]);
  return { text: lines.join('\n'), choices };
}

async function show(ctx: FlowContext, state: State, lead?: string): Promise<Result> {
  const view = await ctx.services.activityParticipants.browse(ctx.actor.personId!, state.id, state.orgId, state.page);
  return { replies: [viewReply(view, state.page, lead)], next: state };
}

/** Ticks a person, or unticks one already picked. */
async function toggle(ctx: FlowContext, state: State, personId: number): Promise<Result> {
  const { picked, total } = await ctx.services.activityParticipants.toggle(ctx.actor.personId!, state.id, personId);
  return show(ctx, state, `${picked ? '已选中' : '已取消选择'}，现已选 ${total} 人。`);
}

/** Names and organisations matching what was typed, in the activity's scope only. */
async function search(ctx: FlowContext, state: State, text: string): Promise<Result> {
  const actor = ctx.actor.personId!;
  const { activityParticipants } = ctx.services;
  const [people, orgs] = await Promise.all([activityParticipants.searchPeople(actor, state.id, text), activityParticipants.searchOrgs(actor, state.id, text)]);
  if (!people.length && !orgs.length)
    return {
      replies: [
        {
          text: `没有找到包含“${quoteInput(text)}”的人员或组织（只在本活动所属组织及其下级中查找）。请换个关键词，或点击按钮浏览。`,
          choices: [[button('返回', `${P}pg:${state.page}`)]],
        },
      ],
      next: state,
    };
  const lines = ['找到以下人员和组织，点击人员选中或取消，点击组织进入：'];
  const choices: Choice[][] = [
    ...people.map((p) => [button(`${personLabel(p)}${p.orgName ? ` · ${shortLabel(p.orgName, 10)}` : ''}`, `${P}p:${p.id}`)]),
    ...orgs.map((o) => [button(`📂 ${orgLabel(o)}`, `${P}go:${o.id}`)]),
    [button('返回', `${P}pg:${state.page}`)],
  ];
  return { replies: [{ text: lines.join('\n'), choices }], next: state };
}

async function listPicked(ctx: FlowContext, state: State): Promise<Result> {
  const { participants } = await ctx.services.activityParticipants.list(ctx.actor.personId!, state.id);
  const shown = participants.slice(0, 100).map((p, i) => `${i + 1}. ${p.name}（${p.idMasked}）${p.orgName ? ` ${p.orgName}` : ''}`);
  const more = participants.length > shown.length ? [`……共 ${participants.length} 人，完整名单可在活动中导出签到表。`] : [];
  const text = participants.length
    ? [`已选 ${participants.length} 人：`, ...shown, ...more, '', '取消某人：在组织中或搜索结果中再次点击其姓名。'].join('\n')
    : '还没有选择任何人。';
  return { replies: [{ text, choices: [[button('返回', `${P}pg:${state.page}`), button('✅ 完成', `${P}done`)]] }], next: state };
}

async function onChoice(ctx: FlowContext, state: State, value: string): Promise<Result> {
  const [what, raw] = value.slice(P.length).split(':');
  const n = Number(raw);
  switch (what) {
    case 'p':
      return toggle(ctx, state, n);
    case 'go':
      return show(ctx, { ...state, orgId: n, page: 0 });
    case 'pg':
      return show(ctx, { ...state, page: Math.max(0, n) });
    case 'all': {
      const r = await ctx.services.activityParticipants.addOrg(ctx.actor.personId!, state.id, n);
      return show(ctx, state, `已全选“${r.org}”：新增 ${r.added} 人，现已选 ${r.total} 人。`);
    }
    case 'list':
      return listPicked(ctx, state);
    case 'done': {
      const { participants } = await ctx.services.activityParticipants.list(ctx.actor.personId!, state.id);
      const text = `已选定 ${participants.length} 名参加人员。下一步可通知他们报名（他们会收到带“报名/不参加”按钮的通知）。`;
      return { replies: [{ text, choices: [[organiserButton('📣 通知参加人员', 'n', state.id), button('返回活动', `/activities ${state.id}`)]] }], next: null };
    }
    default:
      return show(ctx, state);
  }
}

/**
 * /participants <id>: picks who takes part (R18), from the activity's organisation and those
 * below it: people one by one (browsing or by name), or a whole organisation at once (全选),
 * with a running count against the limit. The service checks every pick, a forged one too.
 */
export const participantsFlow: Flow<State> = {
  name: 'participants',
  version: 1,
  commands: ['participants'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx, args) {
    const id = idArg(args);
    if (!id) return { replies: [{ text: '请在 /activities 中打开活动，再点“选择参加人员”。' }] };
    return show(ctx, { id, orgId: null, page: 0 }, '（发送 /cancel 结束选择；已选的人会保留）');
  },
  async step(ctx, state, event: FlowEvent) {
    try {
      if (event.type === 'choice' && event.value.startsWith(P)) return await onChoice(ctx, state, event.value);
      if (event.type === 'text' && event.text.trim()) return await search(ctx, state, event.text.trim().slice(0, 40));
      return await show(ctx, state, '请点击按钮，或输入姓名、组织名称查找。');
    } catch (err) {
      // A refused pick (over the limit, outside the scope) keeps the picker where it was.
      if (!isUserError(err)) throw err;
      return { replies: [{ text: userErrorText(err), choices: [[button('返回', `${P}pg:${state.page}`), button('✅ 完成', `${P}done`)]] }], next: state };
    }
  },
};
