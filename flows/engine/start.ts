import { SIGNIN_PAYLOAD } from '../../server/services/activities/signin';
import { menuCommands, menuFor, menuKindOf } from './menu';
import type { Flow } from './types';

/** Deep-link payloads (`https://t.me/<bot>?start=<payload>`) and the flow each starts. */
const START_PAYLOADS: Array<{ prefix: string; flow: string }> = [{ prefix: SIGNIN_PAYLOAD, flow: 'signin' }];

/** /start: a greeting and what one can do, as buttons. */
export const startFlow: Flow = {
  name: 'start',
  version: 1,
  commands: ['start'],
  async start(ctx, args) {
    const payload = args.trim();
    const link = START_PAYLOADS.find((p) => payload.startsWith(p.prefix));
    if (link) return { replies: [], then: { flow: link.flow, args: payload } };
    const kind = await menuKindOf(ctx);
    const { person } = ctx;
    const hello = person
      ? `${person.name}，您好！欢迎使用智慧团建。请选择要办理的事项：`
      : '您好！这里是智慧团建。团员、团干部和组织管理员可以在这里办理注册、报到、查询和管理。\n已有账号请先登录（账号为身份证号码；由组织添加的账号，初始密码为身份证号码后 8 位）。';
    if (ctx.actor.isPrivate) await ctx.io.setMenu(kind);
    return { replies: [{ text: hello, choices: await menuFor(ctx) }] };
  },
};

/** /help: the commands of the user's role. */
export const helpFlow: Flow = {
  name: 'help',
  version: 1,
  commands: ['help'],
  async start(ctx) {
    const kind = await menuKindOf(ctx);
    const lines = menuCommands(kind).map((c) => `/${c.command} — ${c.description}`);
    return { replies: [{ text: `可用的命令：\n${lines.join('\n')}\n\n任何时候发送 /cancel 可取消当前操作。`, choices: await menuFor(ctx) }] };
  },
};
