import type { AuditPage, AuditView } from '../server/services/audit-trail';
import { addMenuCommands } from './menu';
import type { Action, Flow, FlowContext, Reply } from './types';
import { actionValue, button } from './types';

const PREFIX = 'audit';

/** Chinese names of audited actions; features add theirs with {@link addAuditLabels}. */
const ACTION_LABELS: Record<string, string> = {
  'admin.register': '管理员注册',
  'admin_code.rotate': '更换管理员注册码',
  'member.add': '添加团员/团干部',
};

const FIELD_LABELS: Record<string, string> = {
  name: '姓名', idMasked: '身份证号码', role: '政治面貌', branchId: '所在团支部编号', postTitle: '职务',
  joinedLeagueAt: '入团时间', phone: '手机号码', adminCode: '管理员注册码', fullName: '组织全称',
  shortName: '组织简称', kind: '组织类别', industry: '行业类别', schoolCode: '学校机构编号',
  ethnicity: '民族', education: '学历', verificationState: '实名认证', kindChangeUsed: '已用类别修改机会',
  secretaries: '书记', accountCreated: '新建账号', title: '职务', status: '状态',
};

const VALUE_LABELS: Record<string, string> = { member: '团员', cadre: '团干部', applicant: '入团申请人' };

/** Registers Chinese names of audit actions (`{'org.rename': '修改组织名称'}`) for /audit. */
export function addAuditLabels(labels: Record<string, string>): void {
  Object.assign(ACTION_LABELS, labels);
}

addMenuCommands('admin', [{ command: 'audit', description: '操作记录' }]);

function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function values(v: Record<string, unknown> | null): string {
  if (!v) return '（无）';
  const parts = Object.entries(v).map(([k, x]) => {
    const shown = x === null || x === undefined || x === '' ? '空' : typeof x === 'object' ? JSON.stringify(x) : String(x);
    return `${FIELD_LABELS[k] ?? k}=${VALUE_LABELS[shown] ?? shown}`;
  });
  return parts.join('；') || '（无）';
}

function entryText(e: AuditView): string {
  const lines = [`${chinaTime(e.at)} · ${e.actorName ?? '系统'} · ${ACTION_LABELS[e.action] ?? e.action}`];
  if (e.orgName) lines.push(`组织：${e.orgName}`);
  if (e.before) lines.push(`变更前：${values(e.before)}`);
  if (e.after) lines.push(`变更后：${values(e.after)}`);
  return lines.join('\n');
}

function pageReply(page: AuditPage, first: boolean): Reply {
  if (!page.entries.length) return { text: first ? '您管理的组织及其下级组织暂无操作记录。' : '没有更早的操作记录了。' };
  const text = `【操作记录】（本组织及下级组织，最新在前）\n\n${page.entries.map(entryText).join('\n\n')}`;
  if (page.nextBefore === null) return { text: `${text}\n\n（已是最早的记录）` };
  return { text, choices: [[button('下一页', actionValue(PREFIX, String(page.nextBefore)))]] };
}

async function show(ctx: FlowContext, before: number | null): Promise<Reply[]> {
  const page = await ctx.services.auditTrail.page(ctx.actor.personId!, before);
  return [pageReply(page, before === null)];
}

/** /audit: the latest audited changes of the organisations one administers and those below, 20 a page. */
export const auditFlow: Flow = {
  name: 'audit',
  version: 1,
  commands: ['audit'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    return { replies: await show(ctx, null) };
  },
};

/** 下一页: the page before a cursor, always of the presser's own organisations. */
export const auditPageAction: Action = {
  prefix: PREFIX,
  privateOnly: true,
  async handle(ctx, payload) {
    const before = Number(payload);
    if (!Number.isSafeInteger(before) || before <= 0) return [{ text: '这个按钮已失效，请重新发送 /audit。' }];
    return show(ctx, before);
  },
};
