import Router from '@koa/router';
import { MAX_PARTICIPANTS, type PickableOrg } from '../../../services/activities/activity-participants';
import type { ApiContext } from '../context';
import { id } from '../ids';
import { activityView, orgView } from '../present';
import { requireSession, sessionOf } from '../accounts/session';
import { parse } from '../validate';
import { send } from '../send';
import {
  addResult,
  addSchema,
  listQuery,
  managedActivities,
  participants as participantsView,
  pickerQuery,
  pickerSearch,
  pickerView,
  removeResult,
} from './schema';

/** People per page of the picker: a phone's list scrolls, a chat's buttons do not. */
export const PICKER_PAGE_SIZE = 50;

const pickableOrgView = (o: PickableOrg) => ({ ...orgView(o), people: o.people, picked: o.picked });

/** An admin's activities and their participants (R18): every check is the service's, as in chat. */
export function activityRoutes(router: Router, api: ApiContext): void {
  const { services } = api;
  const { activityParticipants: participants } = services;

  router.get('/api/activities', requireSession(), async (ctx) => {
    const { when } = parse(listQuery, ctx.query);
    const rows = await services.activities.listManaged(sessionOf(ctx).person.id, { when, limit: 50 });
    const now = services.deps.now();
    send(ctx, managedActivities, { items: rows.map((r) => ({ ...activityView(r.activity, now), orgName: r.orgName })) });
  });

  // One organisation of the activity's scope (the top without `org`): those below it, a page of
  // its own people; or, with `q`, people of the whole scope by name.
  router.get('/api/activities/:id/picker', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    const activityId = parse(id, ctx.params.id);
    const q = parse(pickerQuery, ctx.query);
    if (q.q) {
      const [people, orgs] = await Promise.all([participants.searchPeople(actor, activityId, q.q), participants.searchOrgs(actor, activityId, q.q)]);
      send(ctx, pickerSearch, { people, orgs: orgs.map(pickableOrgView) });
      return;
    }
    const view = await participants.browse(actor, activityId, q.org ?? null, q.page, PICKER_PAGE_SIZE);
    send(ctx, pickerView, {
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
    });
  });

  router.get('/api/activities/:id/participants', requireSession(), async (ctx) => {
    const { activity, orgName, participants: rows } = await participants.list(sessionOf(ctx).person.id, parse(id, ctx.params.id));
    send(ctx, participantsView, {
      activity: { ...activityView(activity, services.deps.now()), orgName },
      items: rows.map((r) => ({ ...r, signedInAt: r.signedInAt?.toISOString() ?? null })),
    });
  });

  // People by id, or 全选 of an organisation; over 1,000 in all is refused by the service with the counts.
  router.post('/api/activities/:id/participants', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    const activityId = parse(id, ctx.params.id);
    const body = parse(addSchema, ctx.request.body);
    send(
      ctx,
      addResult,
      body.orgId !== undefined ? await participants.addOrg(actor, activityId, body.orgId) : await participants.add(actor, activityId, body.personIds!),
    );
  });

  router.delete('/api/activities/:id/participants/:personId', requireSession(), async (ctx) => {
    const total = await participants.remove(sessionOf(ctx).person.id, parse(id, ctx.params.id), parse(id, ctx.params.personId));
    send(ctx, removeResult, { total });
  });
}
