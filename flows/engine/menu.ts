import type { Choice, FlowContext, MenuKind } from './types';
import { button } from './types';

/** A command as shown in a menu. */
export interface MenuCommand {
  command: string;
  description: string;
}

/** Menus by role: commands as the features register them (see addMenuCommands). */
const REGISTERED: Record<MenuKind, MenuCommand[]> = {
  guest: [
    { command: 'start', description: '开始' },
    { command: 'login', description: '登录（身份证号码 + 密码）' },
  ],
  member: [
    { command: 'me', description: '我的信息' },
    { command: 'password', description: '修改密码' },
  ],
  admin: [],
};

/**
 * The order people use them in, most used first (unlisted ones follow the listed). An admin
 * sees the admin tools, then what every member has; leaving comes last.
 */
const ORDER: Record<MenuKind, string[]> = {
  guest: ['start', 'login', 'join', 'register', 'checkin', 'register_admin'],
  member: ['me', 'app', 'signin', 'my_activities', 'fee', 'status', 'invitations', 'profile', 'password'],
  admin: ['applications', 'activities', 'activity', 'fees', 'fee_pay', 'import', 'add_member', 'progress', 'reset_password', 'jobs', 'audit', 'invite', 'org_info', 'admin_code', 'template'],
};
const LOGOUT: MenuCommand = { command: 'logout', description: '退出登录' };
const LAST: MenuCommand[] = [
  { command: 'help', description: '帮助' },
  { command: 'cancel', description: '取消当前操作' },
];

/** Extra commands a feature adds to a menu (registered by the flow modules). */
export function addMenuCommands(kind: MenuKind, commands: MenuCommand[]): void {
  const target = REGISTERED[kind];
  for (const c of commands) if (!target.some((t) => t.command === c.command)) target.push(c);
}

function ordered(kind: MenuKind): MenuCommand[] {
  const rank = (c: MenuCommand) => {
    const i = ORDER[kind].indexOf(c.command);
    return i < 0 ? ORDER[kind].length : i;
  };
  return [...REGISTERED[kind]].sort((a, b) => rank(a) - rank(b));
}

/** The command menu of a role, most used first; leaving, help and cancel last. */
export function menuCommands(kind: MenuKind): MenuCommand[] {
  if (kind === 'guest') return [...ordered('guest'), ...LAST];
  const admin = kind === 'admin' ? ordered('admin') : [];
  return [...admin, ...ordered('member'), LOGOUT, ...LAST];
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
  const [pending, invited] = await Promise.all([applications.pendingFor(personId, 0).then((p) => p.total), invitations.openFor(personId).then((o) => o.length)]);
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
