import { isUserError } from '../../server/errors';
import { userErrorText } from '../engine/user-errors';
import { VERIFICATION_LABELS } from '../../server/services/membership/person-labels';
import { EDUCATION_LEVELS } from '../../server/services/membership/roster-import/rows/columns';
import { addAuditLabels } from '../audit/audit';
import type { Choice, Flow, FlowContext, FlowEvent, Reply, StepResult } from '../engine/types';
import { button } from '../engine/types';

type Field = 'name' | 'idNumber' | 'phone' | 'ethnicity' | 'education' | 'joinedLeagueAt';

/** Plain-JSON state; a new ID number only sealed. */
type State = { step: 'menu' } | { step: 'edit'; field: Field } | { step: 'confirm-id'; sealedId: string };
type Result = StepResult<State>;

const FIELD_LABELS: Record<Field, string> = {
  name: '姓名',
  idNumber: '身份证号码',
  phone: '手机号码',
  ethnicity: '民族',
  education: '学历',
  joinedLeagueAt: '入团时间',
};
const REVERIFY = '（实名认证只与姓名和身份证号码有关：修改这两项后，认证状态变为“待认证”，系统稍后自动重新认证。）';
const PROMPTS: Record<Field, string> = {
  name: `请输入新的姓名（与身份证一致，2-20 个汉字，少数民族姓名中间用“·”）：\n${REVERIFY}`,
  idNumber: `⚠️ 修改身份证号码后需要重新实名认证，登录账号也随之改为新号码（仍使用初始密码的，初始密码变为新号码后 8 位）。\n请输入新的身份证号码（18 位）：`,
  phone: '请输入新的手机号码（11 位）：',
  ethnicity: '请选择民族；其他民族请点“其他”或直接输入（如“维吾尔族”）：',
  education: '请选择学历，或直接输入：',
  joinedLeagueAt: '请输入入团时间（如 2016-09-01）：',
};
const BACK: Choice[] = [button('↩️ 返回', 'back')];

addAuditLabels({ 'person.identity.edit': '修改姓名/身份证号码', 'person.details.edit': '修改个人资料' });

async function card(ctx: FlowContext, lead?: string): Promise<Result> {
  const p = await ctx.services.accounts.profileCard(ctx.actor.personId!);
  if (!p) return { replies: [{ text: '找不到您的账号信息，请重新 /login。' }] };
  const state = `${VERIFICATION_LABELS[p.verificationState] ?? p.verificationState}${p.verificationReason ? `（${p.verificationReason}）` : ''}`;
  const text = [
    ...(lead ? [lead, ''] : []),
    '【修改资料】',
    `姓名：${p.name}`,
    `身份证号码：${p.idMasked}`,
    `手机号码：${p.phone ?? '（未填写）'}`,
    `民族：${p.ethnicity ?? '（未填写）'}　学历：${p.education ?? '（未填写）'}`,
    `入团时间：${p.joinedLeagueAt ?? '（未填写）'}`,
    `实名认证：${state}`,
    '',
    '请点击要修改的项目；改完点“完成”。',
  ].join('\n');
  const fields = Object.keys(FIELD_LABELS) as Field[];
  const choices: Choice[][] = [];
  for (let i = 0; i < fields.length; i += 3) choices.push(fields.slice(i, i + 3).map((f) => button(FIELD_LABELS[f], `field:${f}`)));
  choices.push([button('✅ 完成', 'done')]);
  return { replies: [{ text, choices }], next: { step: 'menu' } };
}

/** The most common 民族 (Ningxia's and the country's), as buttons; the rest are typed. */
export const COMMON_ETHNICITIES = ['汉族', '回族', '满族', '蒙古族', '壮族', '维吾尔族', '藏族', '土家族'] as const;
const OTHER_ETHNICITY = 'eth:other';

function ask(field: Field, lead?: string): Result {
  const choices =
    field === 'education'
      ? [
          ...chunk(
            EDUCATION_LEVELS.map((e, i) => button(e, `edu:${i}`)),
            4,
          ),
          BACK,
        ]
      : field === 'ethnicity'
        ? [
            ...chunk(
              COMMON_ETHNICITIES.map((e, i) => button(e, `eth:${i}`)),
              4,
            ),
            [button('其他', OTHER_ETHNICITY), ...BACK],
          ]
        : [BACK];
  const reply: Reply = { text: lead ? `${lead}\n${PROMPTS[field]}` : PROMPTS[field], choices };
  return { replies: [reply], next: { step: 'edit', field } };
}

function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

async function save(ctx: FlowContext, field: Field, value: string): Promise<Result> {
  const me = ctx.actor.personId!;
  if (field === 'name' || field === 'idNumber') await ctx.services.identity.editIdentity(me, me, { [field]: value });
  else await ctx.services.profileDetails.edit(me, me, { [field]: value });
  return card(ctx, `✅ ${FIELD_LABELS[field]}已修改。${field === 'name' || field === 'idNumber' ? '实名认证将稍后自动重新进行。' : ''}`);
}

async function editStep(ctx: FlowContext, field: Field, event: FlowEvent): Promise<Result> {
  let value: string | null = event.type === 'text' ? event.text.trim() : null;
  if (event.type === 'choice' && field === 'education' && event.value.startsWith('edu:')) value = EDUCATION_LEVELS[Number(event.value.slice(4))] ?? null;
  if (event.type === 'choice' && event.value === OTHER_ETHNICITY)
    return { replies: [{ text: '请直接输入民族的全称（如“维吾尔族”“朝鲜族”）：', choices: [BACK] }], next: { step: 'edit', field } };
  if (event.type === 'choice' && field === 'ethnicity' && event.value.startsWith('eth:')) value = COMMON_ETHNICITIES[Number(event.value.slice(4))] ?? null;
  if (!value) return ask(field, '请直接输入文字，或点“返回”。');
  if (field === 'idNumber') {
    const id = ctx.services.accounts.requireIdNumber(value);
    const masked = `${id.value.slice(0, 6)}********${id.value.slice(-4)}`;
    return {
      replies: [
        {
          text: `确认把身份证号码改为 ${masked} 吗？修改后实名认证状态变为“待认证”，下次登录请使用新号码。`,
          choices: [[button('确认修改', 'confirm'), ...BACK]],
        },
      ],
      next: { step: 'confirm-id', sealedId: ctx.seal(id.value) },
    };
  }
  return save(ctx, field, value);
}

/** /profile (修改资料): the person edits their own name, ID number (R5: re-verified), phone, 民族, 学历, 入团时间. */
export const profileFlow: Flow<State> = {
  name: 'profile',
  version: 1,
  commands: ['profile'],
  requiresLogin: true,
  privateOnly: true,
  start: (ctx) => card(ctx),
  async step(ctx, state, event) {
    if (event.type === 'choice' && event.value === 'back') return card(ctx);
    if (state.step === 'menu') {
      if (event.type === 'choice' && event.value === 'done') return { replies: [{ text: '资料修改已完成。发送 /me 可查看我的信息。' }] };
      const field = event.type === 'choice' && event.value.startsWith('field:') ? event.value.slice(6) : null;
      if (field && Object.hasOwn(FIELD_LABELS, field)) return ask(field as Field);
      const again = await card(ctx);
      again.replies[0].text = `请点击下方按钮选择要修改的项目，或发送 /cancel 结束。\n\n${again.replies[0].text}`;
      return again;
    }
    try {
      if (state.step === 'confirm-id') {
        if (event.type === 'choice' && event.value === 'confirm') return await save(ctx, 'idNumber', ctx.open(state.sealedId));
        return { replies: [{ text: '请点“确认修改”或“返回”。', choices: [[button('确认修改', 'confirm'), ...BACK]] }], next: state };
      }
      return await editStep(ctx, state.field, event);
    } catch (err) {
      if (!isUserError(err)) throw err;
      const field = state.step === 'edit' ? state.field : 'idNumber';
      return ask(field, userErrorText(err));
    }
  },
};
