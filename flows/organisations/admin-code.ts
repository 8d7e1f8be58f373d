import type { Organisation } from '../../models/Organisation';
import { searchOrgsWithin } from '../../server/services/organisations/org-search';
import { KIND_LABELS } from '../../server/services/organisations/organisations';
import { noResults, orgResultsReply, pickedOrgId, SHOW_FULL } from '../engine/org-picker';
import type { Action, Choice, Flow, FlowContext, Reply } from '../engine/types';
import { actionValue, button } from '../engine/types';

const PREFIX = 'admin-code';

interface State {
  step: 'search';
  query?: string;
}

function rotateButton(org: Organisation): Choice[] {
  return [button(`🔄 更换“${org.shortName}”的注册码`, actionValue(PREFIX, `ask:${org.id}`))];
}

function codeLine(org: Organisation): string {
  return `${org.fullName}（${KIND_LABELS[org.kind]}）\n管理员注册码：${org.adminCode}`;
}

/** One organisation's code with its rotate button. */
function codeReply(org: Organisation): Reply {
  return { text: `${codeLine(org)}\n（区分大小写。请只告诉该组织指定的管理员；每个团组织最多两位管理员）`, choices: [rotateButton(org)] };
}

/**
 * /admin_code: the admin registration codes (R6) of the organisations one administers,
 * each with a 🔄 button; the name of an organisation below shows its code too.
 */
export const adminCodeFlow: Flow<State> = {
  name: 'admin-code',
  version: 1,
  commands: ['admin_code'],
  requiresLogin: true,
  privateOnly: true,
  async start(ctx) {
    const orgs = await ctx.services.admins.orgsOf(ctx.actor.personId!);
    if (!orgs.length)
      return { replies: [{ text: '您还不是任何团组织的管理员，无法查看管理员注册码。注册码由上级组织提供，可发送 /register_admin 注册为管理员。' }] };
    const text = [
      '【管理员注册码】',
      ...orgs.map(codeLine),
      '',
      '注册码区分大小写，请只告诉该组织指定的管理员。如注册码泄露，请点下方按钮更换（旧注册码立即失效）。',
      '如需查看下级组织的注册码，请发送下级组织的名称（或其中几个字）；发送 /cancel 结束。',
    ].join('\n');
    return { replies: [{ text, choices: orgs.map(rotateButton) }], next: { step: 'search' } };
  },
  async step(ctx, state, event) {
    const me = ctx.actor.personId!;
    const orgId = pickedOrgId(event);
    if (orgId) return { replies: [codeReply(await ctx.services.adminCodes.view(me, orgId))], next: state };
    const roots = await ctx.services.admins.orgsOf(me);
    if (event.type === 'choice' && event.value === SHOW_FULL && state.query) {
      const orgs = await searchOrgsWithin(roots, state.query);
      return { replies: [await orgResultsReply(ctx, orgs, true)], next: state };
    }
    if (event.type !== 'text') return { replies: [{ text: '请发送下级组织的名称查找，或发送 /cancel 结束。' }], next: state };
    const orgs = await searchOrgsWithin(roots, event.text);
    if (!orgs.length) return { replies: [noResults(event.text), { text: '（只能查看您管理的组织及其下级组织）' }], next: { step: 'search' } };
    return { replies: [await orgResultsReply(ctx, orgs, false)], next: { step: 'search', query: event.text } };
  },
};

async function confirmRotate(ctx: FlowContext, orgId: number): Promise<Reply[]> {
  const org = await ctx.services.adminCodes.view(ctx.actor.personId!, orgId);
  return [
    {
      text: `确定更换“${org.fullName}”的管理员注册码吗？更换后旧注册码立即失效，已注册的管理员不受影响。`,
      choices: [[button('确认更换', actionValue(PREFIX, `rotate:${org.id}`)), button('不更换', actionValue(PREFIX, `keep:${org.id}`))]],
    },
  ];
}

/** The 🔄 buttons: ask, then rotate (rights checked on every press, by the presser's account). */
export const adminCodeAction: Action = {
  prefix: PREFIX,
  privateOnly: true,
  async handle(ctx, payload) {
    const [verb, raw] = payload.split(':');
    const orgId = Number(raw);
    if (!Number.isSafeInteger(orgId) || orgId <= 0) return [{ text: '这个按钮已失效，请重新发送 /admin_code。' }];
    if (verb === 'ask') return confirmRotate(ctx, orgId);
    if (verb === 'keep') return [{ text: '已保留原注册码。' }];
    if (verb !== 'rotate') return [{ text: '这个按钮已失效，请重新发送 /admin_code。' }];
    const code = await ctx.services.adminCodes.rotate(ctx.actor.personId!, orgId);
    const org = await ctx.services.organisations.require(orgId);
    return [{ text: `已更换“${org.fullName}”的管理员注册码。\n新的注册码：${code}\n旧注册码已失效。此操作已记入操作记录。`, choices: [rotateButton(org)] }];
  },
};
