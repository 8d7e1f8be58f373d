import type { Choice, FlowContext, MenuKind } from './types';
import { button } from './types';

/** A command as shown in a menu. */
export interface MenuCommand {
  command: string;
  description: string;
}

/**
 * Every menu entry, by role, in one list: in the order people use them, most used first. An
 * admin sees the admin tools, then what every member has; leaving, help and cancel come last.
 */
const MENUS: Record<MenuKind, MenuCommand[]> = {
  guest: [
    { command: 'start', description: '开始' },
    { command: 'login', description: '登录（身份证号码 + 密码）' },
    { command: 'join', description: '我要入团' },
    { command: 'register', description: '团员注册' },
    { command: 'checkin', description: '流动团员报到' },
    { command: 'register_admin', description: '管理员注册' },
  ],
  member: [
    { command: 'me', description: '我的信息' },
    { command: 'app', description: '团务应用' },
    { command: 'signin', description: '活动签到' },
    { command: 'my_activities', description: '我的活动' },
    { command: 'fee', description: '团费查询' },
    { command: 'status', description: '我的申请进度' },
    { command: 'invitations', description: '我的邀请' },
    { command: 'profile', description: '修改资料' },
    { command: 'password', description: '修改密码' },
  ],
  admin: [
    { command: 'applications', description: '待审批的申请' },
    { command: 'activities', description: '活动列表与签到' },
    { command: 'activity', description: '记录会议/团课/团日活动' },
    { command: 'fees', description: '团费收缴情况' },
    { command: 'fee_pay', description: '登记团费' },
    { command: 'import', description: '导入团员' },
    { command: 'add_member', description: '添加团员/团干部' },
    { command: 'progress', description: '录入进度' },
    { command: 'reset_password', description: '重置他人密码' },
    { command: 'jobs', description: '后台任务（导入、导出进度）' },
    { command: 'audit', description: '操作记录' },
    { command: 'invite', description: '邀请加入组织' },
    { command: 'org_info', description: '完善组织信息' },
    { command: 'admin_code', description: '管理员注册码' },
    { command: 'template', description: '下载导入模板' },
    { command: 'announce', description: '发布通知' },
    { command: 'announcements', description: '通知发送情况' },
    { command: 'fee_import', description: '导入团费' },
    { command: 'fee_set', description: '设置团费类别' },
  ],
};
const LOGOUT: MenuCommand = { command: 'logout', description: '退出登录' };
const LAST: MenuCommand[] = [
  { command: 'help', description: '帮助' },
  { command: 'cancel', description: '取消当前操作' },
];

/** The command menu of a role, most used first; leaving, help and cancel last. */
export function menuCommands(kind: MenuKind): MenuCommand[] {
  if (kind === 'guest') return [...MENUS.guest, ...LAST];
  const admin = kind === 'admin' ? MENUS.admin : [];
  return [...admin, ...MENUS.member, LOGOUT, ...LAST];
}

/** Which menu the current user gets. */
export async function menuKindOf(ctx: FlowContext): Promise<MenuKind> {
  const { personId } = ctx.actor;
  if (!personId) return 'guest';
  return (await ctx.services.admins.isAdmin(personId)) ? 'admin' : 'member';
}

/**
 * The menu as button rows (two a row), for /start and /help; a count beside a command where
 * something waits (`待审批的申请（3）`).
 */
export function menuButtons(kind: MenuKind, counts: Record<string, number> = {}): Choice[][] {
  const items = menuCommands(kind).filter((c) => !['start', 'help', 'cancel'].includes(c.command));
  const rows: Choice[][] = [];
  for (let i = 0; i < items.length; i += 2) {
    rows.push(items.slice(i, i + 2).map((c) => button(counts[c.command] ? `${c.description}（${counts[c.command]}）` : c.description, `/${c.command}`)));
  }
  return rows;
}

/** What waits for the person, by command: applications to decide, invitations to answer. */
export async function waitingCounts(ctx: FlowContext): Promise<Record<string, number>> {
  const { personId } = ctx.actor;
  if (!personId) return {};
  const { applications, invitations } = ctx.services;
  const [pending, invited] = await Promise.all([
    applications.pendingFor(personId, 0).then((p) => p.total),
    invitations.openFor(personId).then((o) => o.length),
  ]);
  return { applications: pending, invitations: invited };
}

/** Lines saying what waits (`有 3 份申请待审核…`), for the greeting after a login. */
export async function waitingLines(ctx: FlowContext): Promise<string[]> {
  const counts = await waitingCounts(ctx);
  const lines: string[] = [];
  if (counts.applications) lines.push(`有 ${counts.applications} 份申请待审核，发送 /applications 处理。`);
  if (counts.invitations) lines.push(`有 ${counts.invitations} 条组织邀请待答复，发送 /invitations 查看。`);
  return lines;
}

/** The menu buttons of the current user, with what waits counted. */
export async function menuFor(ctx: FlowContext): Promise<Choice[][]> {
  return menuButtons(await menuKindOf(ctx), await waitingCounts(ctx));
}
