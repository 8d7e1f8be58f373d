/**
 * The audit log as an admin reads it: the action in Chinese, people by name (ID numbers
 * masked), organisations by full name, fields by their Chinese labels, times in Beijing time.
 */
import { STAGE_LABELS } from '../../server/services/applications/application-stages';
import type { AuditPage, AuditView } from '../../server/services/audit/audit-trail';
import { ORG_FIELDS, PERSON_FIELDS } from '../../server/services/audit/audit-trail';
import { formatChinaTime } from '../../server/lib/china-datetime';
import { KIND_LABELS } from '../../server/services/organisations/organisations';

/** Chinese names of audited actions; features add theirs with {@link addAuditLabels}. */
const ACTION_LABELS: Record<string, string> = {
  'admin.register': '管理员注册',
  'admin_code.rotate': '更换管理员注册码',
  'member.add': '添加团员/团干部',
  'roster.import': '导入团员名单',
  'application.submitted': '提交申请',
  'application.accepted': '受理入团申请',
  'application.activist': '确定为入团积极分子',
  'application.candidate': '确定为发展对象',
  'application.admitted': '批准入团申请',
  'application.approved': '通过团员注册申请',
  'application.confirmed': '确认流动团员报到',
  'application.rejected': '驳回申请',
};

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  idMasked: '身份证号码',
  role: '政治面貌',
  branchId: '所在团支部',
  postTitle: '职务',
  joinedLeagueAt: '入团时间',
  phone: '手机号码',
  adminCode: '管理员注册码',
  fullName: '组织全称',
  shortName: '组织简称',
  kind: '组织类别',
  industry: '行业类别',
  schoolCode: '学校机构编号',
  ethnicity: '民族',
  education: '学历',
  verificationState: '实名认证',
  kindChangeUsed: '已用类别修改机会',
  secretaries: '书记',
  accountCreated: '新建账号',
  title: '职务',
  status: '状态',
  stage: '阶段',
  personId: '对象',
  reason: '理由',
  fileName: '文件',
  imported: '导入人数',
  members: '团员',
  cadres: '团干部',
  posts: '设置职务',
  branches: '各团支部人数',
  orgId: '组织',
  homeOrgId: '团籍所在地',
  mustChangePassword: '须修改密码',
};

const VALUE_LABELS: Record<string, string> = {
  member: '团员',
  cadre: '团干部',
  applicant: '入团申请人',
  pending: '待处理',
  accepted: '已接受',
  declined: '已拒绝',
  expired: '已过期',
  verified: '已认证',
  failed: '认证未通过',
  ...KIND_LABELS,
};

/** Registers Chinese names of audit actions (`{'org.rename': '修改组织名称'}`) for /audit. */
export function addAuditLabels(labels: Record<string, string>): void {
  Object.assign(ACTION_LABELS, labels);
}

/** Registers Chinese names of the fields a feature's audit entries hold. */
export function addAuditFieldLabels(labels: Record<string, string>): void {
  Object.assign(FIELD_LABELS, labels);
}

/** The Chinese name of an action; one nobody named reads as a generic change, never as code. */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? (action.startsWith('application.') ? '处理申请' : '其他操作');
}

type Names = Pick<AuditPage, 'people' | 'orgs'>;

function personText(id: number, names: Names): string {
  const p = names.people[id];
  return p ? `${p.name}（${p.idMasked}）` : `编号 ${id} 的人员`;
}

function valueText(key: string, v: unknown, names: Names): string {
  if (v === null || v === undefined || v === '') return '空';
  if (PERSON_FIELDS.includes(key) && typeof v === 'number') return personText(v, names);
  if (ORG_FIELDS.includes(key) && typeof v === 'number') return names.orgs[v] ?? `编号 ${v} 的组织`;
  if (key === 'stage' && typeof v === 'string') return STAGE_LABELS[v as keyof typeof STAGE_LABELS] ?? v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) {
    return (
      v
        .slice(0, 5)
        .map((x) =>
          x && typeof x === 'object' && 'fullName' in x
            ? `${(x as { fullName: string }).fullName}${'count' in x ? ` ${(x as { count: number }).count} 人` : ''}`
            : valueText('', x, names),
        )
        .join('、') + (v.length > 5 ? ` 等 ${v.length} 项` : '')
    );
  }
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${FIELD_LABELS[k] ?? k} ${valueText(k, x, names)}`)
      .join('，');
  return VALUE_LABELS[String(v)] ?? String(v);
}

/** `姓名：张三；阶段：已受理` — the keys that need no line of their own. */
function valuesText(values: Record<string, unknown> | null, names: Names, skip: string[] = []): string {
  const parts = Object.entries(values ?? {})
    .filter(([k]) => !skip.includes(k) && FIELD_LABELS[k])
    .map(([k, v]) => `${FIELD_LABELS[k]}：${valueText(k, v, names)}`);
  return parts.join('；') || '（无）';
}

/** Who or what an entry is about. */
function targetText(e: AuditView, names: Names): string | null {
  const id = Number(e.targetId);
  if (e.targetType === 'person' && Number.isSafeInteger(id)) return `对象：${personText(id, names)}`;
  if (e.targetType === 'application') {
    const who = e.after?.personId ?? e.before?.personId;
    return `申请编号 ${e.targetId}${typeof who === 'number' ? `，申请人：${personText(who, names)}` : ''}`;
  }
  if (e.targetType === 'invitation') {
    const who = e.after?.personId;
    return `邀请编号 ${e.targetId}${typeof who === 'number' ? `，受邀人：${personText(who, names)}` : ''}`;
  }
  return null;
}

/** One entry as a few lines of Chinese. */
export function entryText(e: AuditView, names: Names): string {
  const lines = [`${formatChinaTime(e.at)} · ${e.actorName ?? '系统'} · ${actionLabel(e.action)}`];
  if (e.orgName) lines.push(`组织：${e.orgName}`);
  const target = targetText(e, names);
  if (target) lines.push(target);
  // The person is named above; their masked number beside the name says the rest.
  const skip = ['personId', 'idMasked'];
  if (e.before) lines.push(`变更前：${valuesText(e.before, names, skip)}`);
  if (e.after) lines.push(`${e.before ? '变更后' : '内容'}：${valuesText(e.after, names, skip)}`);
  return lines.join('\n');
}
