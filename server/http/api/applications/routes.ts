import Router from '@koa/router';
import { ForbiddenError } from '../../../errors';
import type { ApiContext } from '../context';
import { id } from '../ids';
import { applicationView } from '../present';
import { requireSession, sessionOf } from '../accounts/session';
import { parse } from '../validate';
import { send } from '../send';
import { applicationList, decisionResult, decisionSchema } from './schema';

/** Applications to decide (R8, R9, R9a): the admin's pending list and one move at a time, as in chat. */
export function applicationRoutes(router: Router, api: ApiContext): void {
  const { services } = api;

  router.get('/api/applications', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    if (!(await services.admins.isAdmin(actor))) throw new ForbiddenError('只有组织管理员可以审批申请。');
    const { items, total } = await services.applications.pendingFor(actor, 50);
    send(ctx, applicationList, { items: items.map(applicationView), total });
  });

  // `from` is the stage the admin saw: a second press, or a move made meanwhile by the other admin, is a 409.
  router.post('/api/applications/:id/decision', requireSession(), async (ctx) => {
    const appId = parse(id, ctx.params.id);
    const body = parse(decisionSchema, ctx.request.body);
    const parts = await services.applications.decisions.move(sessionOf(ctx).person.id, appId, body.from, body.to, body.reason);
    send(ctx, decisionResult, { application: applicationView(parts) });
  });
}
