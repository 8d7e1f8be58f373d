import type { Organisation } from '../../models/Organisation';
import type { OrgInfoView } from '../../server/services/organisations/org-info';
import { INDUSTRIES } from '../../server/services/organisations/org-fields';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import type { Choice, Reply } from '../engine/types';
import { button } from '../engine/types';

/** The edits offered by /org_info. */
export type OrgInfoField = 'short' | 'full' | 'industry' | 'kind' | 'secretary' | 'school';

/** Back to the card. */
export const BACK: Choice = button('↩️ 返回', 'back');

function kindLine(v: OrgInfoView): string {
  const label = KIND_LABELS[v.org.kind];
  if (v.org.locked) return `${label}（不可修改）`;
  if (v.org.kindChangeUsed) return `${label}（已修改过一次，不能再改）`;
  if (!v.isOwnAdmin) return `${label}（只能由本组织自己的管理员修改一次）`;
  return `${label}（可修改一次）`;
}

/** The organisation's information with a button for each change the actor may make (R12, R14, R15). */
export function orgInfoCard(v: OrgInfoView, lead?: string): Reply {
  const { org } = v;
  const lines = [
    ...(lead ? [lead, ''] : []),
    '【完善组织信息】',
    `组织全称：${org.fullName}`,
    `组织简称：${org.shortName}`,
    `组织类别：${kindLine(v)}`,
    `行业类别：${org.industry ?? '（未填写）'}`,
    `书记：${v.secretaries.length ? v.secretaries.map((s) => `${s.name}（${s.idMasked}）`).join('、') : '（未填写）'}`,
  ];
  if (v.canEditSchoolCode) lines.push(`学校机构编号：${org.schoolCode ?? '（未填写）'}`);
  if (org.locked) lines.push('', '团中央和 38 个省级团委的组织全称、简称、组织类别和行业类别不能修改。');
  lines.push('', '请点击要填写或修改的项目；改完点“完成”。');
  const edits: Choice[] = [];
  if (v.canEditNames) edits.push(button('组织简称', 'field:short'), button('组织全称', 'field:full'), button('行业类别', 'field:industry'));
  if (v.canChangeKind) edits.push(button('组织类别', 'field:kind'));
  edits.push(button('书记', 'field:secretary'));
  if (v.canEditSchoolCode) edits.push(button('学校机构编号', 'field:school'));
  const choices: Choice[][] = [];
  for (let i = 0; i < edits.length; i += 3) choices.push(edits.slice(i, i + 3));
  choices.push([button('🔍 其他组织', 'pick'), button('✅ 完成', 'done')]);
  return { text: lines.join('\n'), choices };
}

/** The question for one edit, with its buttons. */
export function orgInfoPrompt(field: OrgInfoField, org: Organisation): Reply {
  switch (field) {
    case 'short':
      return { text: `当前组织简称：${org.shortName}\n请输入新的组织简称（1-50 个字）：`, choices: [[BACK]] };
    case 'full':
      return { text: `当前组织全称：${org.fullName}\n请输入新的组织全称（2-100 个字，须与其他组织不同）：`, choices: [[BACK]] };
    case 'industry': {
      const rows: Choice[][] = [];
      for (let i = 0; i < INDUSTRIES.length; i += 3) rows.push(INDUSTRIES.slice(i, i + 3).map((name, j) => button(name, `ind:${i + j}`)));
      return { text: `当前行业类别：${org.industry ?? '（未填写）'}\n请选择行业类别；都不合适的，请直接输入（其他）：`, choices: [...rows, [BACK]] };
    }
    case 'kind': {
      const kinds = (Object.keys(KIND_LABELS) as Array<keyof typeof KIND_LABELS>).filter((k) => k !== org.kind && !(org.isSchool && k === 'leading_body'));
      return {
        text: `当前组织类别：${KIND_LABELS[org.kind]}\n⚠️ 组织类别只能修改一次，改后不能再改。请选择新的组织类别：`,
        choices: [kinds.map((k) => button(KIND_LABELS[k], `kind:${k}`)), [BACK]],
      };
    }
    case 'secretary':
      return {
        text: '请输入书记的身份证号码（18 位）。\n书记还没有账号的，提交后系统自动为其创建账号（初始密码为身份证号码后 8 位）；同一人可担任多个组织的书记，不影响其所在团支部。',
        choices: [[BACK]],
      };
    case 'school':
      return {
        text: `当前学校机构编号：${org.schoolCode ?? '（未填写）'}\n请输入学校机构编号（教育部学校标识码，10 位数字，如 4164010749）${org.schoolCode ? '；要删除编号请点“清空编号”' : ''}：`,
        choices: [[...(org.schoolCode ? [button('清空编号', 'school:clear')] : []), BACK]],
      };
  }
}
