import Router from '@koa/router';
import { z } from 'zod';
import { MAX_PARTICIPANTS, type PickableOrg } from '../../../services/activities/activity-participants';
import type { ApiContext } from '../context';
import { id, page } from '../ids';
import { activityView, orgView } from '../present';
import { requireSession, sessionOf } from '../accounts/session';
import { parse } from '../validate';

/** People per page of the picker: a phone's list scrolls, a chat's buttons do not. */
export const PICKER_PAGE_SIZE = 50;

const pickableOrgView = (o: PickableOrg) => ({ ...orgView(o), people: o.people, picked: o.picked });

const listQuery = z.object({ when: z.enum(['upcoming', 'past']).default('upcoming') });
const pickerQuery = z.object({ org: id.optional(), page, q: z.string().trim().max(40).optional() });
const addSchema = z.union([
  z.object({ personIds: z.array(id).min(1).max(MAX_PARTICIPANTS), orgId: z.undefined().optional() }),
  z.object({ orgId: id, personIds: z.undefined().optional() }),
]);

/** An admin's activities and their participants (R18): every check is the service's, as in chat. */
export function activityRoutes(router: Router, api: ApiContext): void {
  const { services } = api;
  const { activityParticipants: participants } = services;

  router.get('/api/activities', requireSession(), async (ctx) => {
    const { when } = parse(listQuery, ctx.query);
    const rows = await services.activities.listManaged(sessionOf(ctx).person.id, { when, limit: 50 });
    const now = services.deps.now();
    ctx.body = { items: rows.map((r) => ({ ...activityView(r.activity, now), orgName: r.orgName })) };
  });

  // One organisation of the activity's scope (the top without `org`): those below it, a page of
  // its own people; or, with `q`, people of the whole scope by name.
  router.get('/api/activities/:id/picker', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    const activityId = parse(id, ctx.params.id);
    const q = parse(pickerQuery, ctx.query);
    if (q.q) {
      const [people, orgs] = await Promise.all([participants.searchPeople(actor, activityId, q.q), participants.searchOrgs(actor, activityId, q.q)]);
      ctx.body = { people, orgs: orgs.map(pickableOrgView) };
      return;
    }
    const view = await participants.browse(actor, activityId, q.org ?? null, q.page, PICKER_PAGE_SIZE);
    ctx.body = {
      activity: view.activity,
      org: pickableOrgView(view.org),
      parentId: view.parentId,
      children: view.children.map(pickableOrgView),
      people: view.people,
      peopleTotal: view.peopleTotal,
      page: q.page,
      pageSize: PICKER_PAGE_SIZE,
      picked: view.picked,
      max: MAX_PARTICIPANTS,
    };
  });

  router.get('/api/activities/:id/participants', requireSession(), async (ctx) => {
    const { activity, orgName, participants: rows } = await participants.list(sessionOf(ctx).person.id, parse(id, ctx.params.id));
    ctx.body = {
      activity: { ...activityView(activity, services.deps.now()), orgName },
      items: rows.map((r) => ({ ...r, signedInAt: r.signedInAt?.toISOString() ?? null })),
    };
  });

  // People by id, or 全选 of an organisation; over 1,000 in all is refused by the service with the counts.
  router.post('/api/activities/:id/participants', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    const activityId = parse(id, ctx.params.id);
    const body = parse(addSchema, ctx.request.body);
    ctx.body = body.orgId !== undefined ? await participants.addOrg(actor, activityId, body.orgId) : await participants.add(actor, activityId, body.personIds!);
  });

  router.delete('/api/activities/:id/participants/:personId', requireSession(), async (ctx) => {
    const total = await participants.remove(sessionOf(ctx).person.id, parse(id, ctx.params.id), parse(id, ctx.params.personId));
    ctx.body = { total };
  });
}
