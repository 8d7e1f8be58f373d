import type { Choice, FlowContext, MenuKind } from './types';
import { button } from './types';

/** A command as shown in a menu. */
export interface MenuCommand {
  command: string;
  description: string;
}

const GUEST: MenuCommand[] = [
  { command: 'start', description: '开始' },
  { command: 'login', description: '登录（身份证号码 + 密码）' },
  { command: 'help', description: '帮助' },
  { command: 'cancel', description: '取消当前操作' },
];

const MEMBER: MenuCommand[] = [
  { command: 'me', description: '我的信息' },
  { command: 'password', description: '修改密码' },
  { command: 'logout', description: '退出登录' },
  { command: 'help', description: '帮助' },
  { command: 'cancel', description: '取消当前操作' },
];

const ADMIN_EXTRA: MenuCommand[] = [];

/** Extra commands a feature adds to a menu (registered by the flow modules). */
export function addMenuCommands(kind: 'guest' | 'member' | 'admin', commands: MenuCommand[]): void {
  const target = kind === 'guest' ? GUEST : kind === 'member' ? MEMBER : ADMIN_EXTRA;
  for (const c of commands) if (!target.some((t) => t.command === c.command)) target.splice(target.length - 2, 0, c);
}

/** The command menu of a role. */
export function menuCommands(kind: MenuKind): MenuCommand[] {
  if (kind === 'guest') return GUEST;
  if (kind === 'member') return MEMBER;
  return [...MEMBER.slice(0, -2), ...ADMIN_EXTRA, ...MEMBER.slice(-2)];
}

/** Which menu the current user gets. */
export async function menuKindOf(ctx: FlowContext): Promise<MenuKind> {
  const { personId } = ctx.actor;
  if (!personId) return 'guest';
  return (await ctx.services.admins.isAdmin(personId)) ? 'admin' : 'member';
}

/** The menu as button rows (two a row), for /start and /help. */
export function menuButtons(kind: MenuKind): Choice[][] {
  const items = menuCommands(kind).filter((c) => !['start', 'help', 'cancel'].includes(c.command));
  const rows: Choice[][] = [];
  for (let i = 0; i < items.length; i += 2) rows.push(items.slice(i, i + 2).map((c) => button(c.description, `/${c.command}`)));
  return rows;
}
