import type { OrgKind } from '../../models/Organisation';
import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import type { OrgInfoView } from '../../server/services/organisations/org-info';
import { INDUSTRIES } from '../../server/services/organisations/org-fields';
import { searchOrgsWithin } from '../../server/services/organisations/org-search';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import { addAuditLabels } from '../audit/audit';
import { BACK, orgInfoCard, OrgInfoField, orgInfoPrompt } from './org-info-card';
import { noResults, orgResultsReply, pickedOrgId, SHOW_FULL } from '../engine/org-picker';
import type { Flow, FlowContext, FlowEvent, StepResult } from '../engine/types';
import { button } from '../engine/types';

/** Plain-JSON state; the secretary's ID number only sealed. */
type State =
  | { step: 'org'; query?: string }
  | { step: 'menu'; orgId: number }
  | { step: 'edit'; orgId: number; field: OrgInfoField }
  | { step: 'kind-confirm'; orgId: number; kind: OrgKind }
  | { step: 'school-clear'; orgId: number }
  | { step: 'sec-name'; orgId: number; sealedId: string };
type Result = StepResult<State>;

const FIELDS: OrgInfoField[] = ['short', 'full', 'industry', 'kind', 'secretary', 'school'];
const ASK_ORG = '请发送要完善的组织名称（或其中几个字）查找，只能是您管理的组织及其下级组织；发送 /cancel 取消。';

addAuditLabels({
  'org.rename': '修改组织名称',
  'org.industry': '修改行业类别',
  'org.kind': '修改组织类别',
  'org.secretary': '设置书记',
  'org.school_code': '修改学校机构编号',
});

async function card(ctx: FlowContext, orgId: number, lead?: string): Promise<Result> {
  const view = await ctx.services.orgInfo.view(ctx.actor.personId!, orgId);
  return { replies: [orgInfoCard(view, lead)], next: { step: 'menu', orgId } };
}

async function ask(ctx: FlowContext, state: State & { orgId: number }, field: OrgInfoField, lead?: string): Promise<Result> {
  const prompt = orgInfoPrompt(field, await ctx.services.organisations.require(state.orgId));
  return { replies: [{ ...prompt, text: lead ? `${lead}\n${prompt.text}` : prompt.text }], next: { step: 'edit', orgId: state.orgId, field } };
}

async function orgStep(ctx: FlowContext, state: Extract<State, { step: 'org' }>, event: FlowEvent): Promise<Result> {
  const picked = pickedOrgId(event);
  if (picked) return card(ctx, picked);
  const roots = await ctx.services.admins.orgsOf(ctx.actor.personId!);
  if (event.type === 'choice' && event.value === SHOW_FULL) {
    const orgs = state.query ? await searchOrgsWithin(roots, state.query) : roots;
    if (orgs.length) return { replies: [await orgResultsReply(ctx, orgs, true)], next: state };
  }
  if (event.type !== 'text') return { replies: [{ text: ASK_ORG }], next: state };
  const orgs = await searchOrgsWithin(roots, event.text);
  if (!orgs.length) return { replies: [noResults(event.text)], next: { step: 'org' } };
  return { replies: [await orgResultsReply(ctx, orgs, false)], next: { step: 'org', query: event.text } };
}

/** Why the actor may not change a field now (a stale or forged button), or null. */
function refusalOf(v: OrgInfoView, field: OrgInfoField): string | null {
  if ((field === 'short' || field === 'full' || field === 'industry') && !v.canEditNames) return '团中央和 38 个省级团委的组织全称、简称和行业类别不能修改。';
  if (field === 'kind' && !v.canChangeKind) {
    if (v.org.locked) return '团中央和 38 个省级团委的组织类别不能修改。';
    return v.org.kindChangeUsed ? '组织类别只能修改一次，本组织已经修改过。' : '组织类别只能由本组织自己的管理员修改。';
  }
  if (field === 'school' && !v.canEditSchoolCode) return '学校机构编号只能由学校团组织本级的管理员填写；团的领导机关没有此项。';
  return null;
}

async function menuStep(ctx: FlowContext, state: Extract<State, { step: 'menu' }>, event: FlowEvent): Promise<Result> {
  const value = event.type === 'choice' ? event.value : '';
  if (value === 'done') return { replies: [{ text: '组织信息已保存。发送 /org_info 可随时再修改。' }] };
  if (value === 'pick') return { replies: [{ text: ASK_ORG }], next: { step: 'org' } };
  const field = FIELDS.find((f) => value === `field:${f}`);
  if (field) {
    const refusal = refusalOf(await ctx.services.orgInfo.view(ctx.actor.personId!, state.orgId), field);
    return refusal ? card(ctx, state.orgId, refusal) : ask(ctx, state, field);
  }
  return card(ctx, state.orgId, '请点击下方按钮选择要修改的项目，或发送 /cancel 结束。');
}

async function editStep(ctx: FlowContext, state: Extract<State, { step: 'edit' }>, event: FlowEvent): Promise<Result> {
  const me = ctx.actor.personId!;
  const { orgId, field } = state;
  const value = event.type === 'choice' ? event.value : '';
  const text = event.type === 'text' ? event.text.trim() : '';
  const { orgInfo } = ctx.services;
  if (field === 'kind') {
    const kind = (Object.keys(KIND_LABELS) as OrgKind[]).find((k) => value === `kind:${k}`);
    if (!kind) return ask(ctx, state, field, '请点击按钮选择组织类别。');
    const org = await ctx.services.organisations.require(orgId);
    const text = `确认把组织类别由“${KIND_LABELS[org.kind]}”改为“${KIND_LABELS[kind]}”吗？\n组织类别只能修改一次，确认后不能再改。`;
    return { replies: [{ text, choices: [[button('确认修改', 'confirm'), BACK]] }], next: { step: 'kind-confirm', orgId, kind } };
  }
  if (field === 'school' && value === 'school:clear') {
    return { replies: [{ text: '确定清空学校机构编号吗？', choices: [[button('确定清空', 'confirm'), BACK]] }], next: { step: 'school-clear', orgId } };
  }
  const industry = field === 'industry' && value.startsWith('ind:') ? INDUSTRIES[Number(value.slice(4))] : undefined;
  if (!text && !industry) return ask(ctx, state, field, '请直接输入文字，或点“返回”。');
  if (field === 'short') await orgInfo.rename(me, orgId, { shortName: text });
  else if (field === 'full') await orgInfo.rename(me, orgId, { fullName: text });
  else if (field === 'industry') await orgInfo.setIndustry(me, orgId, industry ?? text);
  else if (field === 'school') await orgInfo.setSchoolCode(me, orgId, text);
  else {
    const id = ctx.services.accounts.requireIdNumber(text);
    return { replies: [{ text: '请输入书记的姓名（与身份证一致）：', choices: [[BACK]] }], next: { step: 'sec-name', orgId, sealedId: ctx.seal(id.value) } };
  }
  return card(ctx, orgId, '✅ 已保存。');
}

async function otherStep(ctx: FlowContext, state: Extract<State, { step: 'kind-confirm' | 'school-clear' | 'sec-name' }>, event: FlowEvent): Promise<Result> {
  const me = ctx.actor.personId!;
  const confirmed = event.type === 'choice' && event.value === 'confirm';
  if (state.step === 'kind-confirm') {
    if (!confirmed) return { replies: [{ text: '请点“确认修改”或“返回”。', choices: [[button('确认修改', 'confirm'), BACK]] }], next: state };
    await ctx.services.orgInfo.changeKind(me, state.orgId, state.kind);
    return card(ctx, state.orgId, `✅ 组织类别已改为“${KIND_LABELS[state.kind]}”（修改机会已用完）。`);
  }
  if (state.step === 'school-clear') {
    if (!confirmed) return { replies: [{ text: '请点“确定清空”或“返回”。', choices: [[button('确定清空', 'confirm'), BACK]] }], next: state };
    await ctx.services.orgInfo.setSchoolCode(me, state.orgId, null);
    return card(ctx, state.orgId, '✅ 学校机构编号已清空。');
  }
  if (event.type !== 'text' || !event.text.trim()) return { replies: [{ text: '请直接输入书记的姓名，或点“返回”。', choices: [[BACK]] }], next: state };
  const { person, created } = await ctx.services.orgInfo.setSecretary(me, state.orgId, { idNumber: ctx.open(state.sealedId), name: event.text });
  const account = created
    ? `已为其创建账号：账号为身份证号码，初始密码为身份证号码后 8 位，可直接发送 /login 登录（首次登录须修改密码）。`
    : '其已有账号，所在团支部和其他任职不受影响。';
  return card(ctx, state.orgId, `✅ 书记已设为 ${person.name}。${account}`);
}

/**
 * /org_info (完善组织信息, R12, R14, R15): an admin picks an organisation it manages and
 * completes names, industry, the one kind change, the secretary and the school code.
 */
export const orgInfoFlow: Flow<State> = {
  name: 'org-info',
  version: 1,
  commands: ['org_info'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const orgs = await ctx.services.admins.orgsOf(ctx.actor.personId!);
    if (!orgs.length) return { replies: [{ text: '只有组织管理员可以完善组织信息。如您是管理员，请先发送 /register_admin 注册。' }] };
    if (orgs.length === 1) return card(ctx, orgs[0].id);
    const list = await orgResultsReply(ctx, orgs, false);
    list.text = '请选择要完善信息的组织；也可发送下级组织的名称查找：';
    return { replies: [list], next: { step: 'org' } };
  },
  async step(ctx, state, event) {
    if (state.step !== 'org' && event.type === 'choice' && event.value === 'back') return card(ctx, state.orgId);
    try {
      if (state.step === 'org') return await orgStep(ctx, state, event);
      if (state.step === 'menu') return await menuStep(ctx, state, event);
      if (state.step === 'edit') return await editStep(ctx, state, event);
      return await otherStep(ctx, state, event);
    } catch (err) {
      if (!isUserError(err)) throw err;
      if (state.step === 'edit') return ask(ctx, state, state.field, userErrorText(err));
      if (state.step === 'sec-name' && ['NAME_INVALID', 'SECRETARY_NAME_MISMATCH'].includes(err.code))
        return { replies: [{ text: `${userErrorText(err)}\n请重新输入书记的姓名，或点“返回”。`, choices: [[BACK]] }], next: state };
      if (state.step === 'org') return { replies: [{ text: `${userErrorText(err)}\n${ASK_ORG}` }], next: state };
      return card(ctx, state.orgId, userErrorText(err));
    }
  },
};
