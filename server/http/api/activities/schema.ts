/** What an admin's activity routes take and send (routes.ts): the list, the picker, participants (R18). */
import { z } from 'zod';
import { id, page } from '../ids';
import { activityView, count, dbId, instant, orgRef, participantResponse } from '../schema';

/** R18's limit of participants (MAX_PARTICIPANTS of the service, which a test keeps equal): more ids at once are refused here already. */
export const PICK_AT_MOST = 1000;

export const listQuery = z.object({ when: z.enum(['upcoming', 'past']).default('upcoming') });
export const pickerQuery = z.object({ org: id.optional(), page, q: z.string().trim().max(40).optional() });
export const addSchema = z.union([
  z.object({ personIds: z.array(id).min(1).max(PICK_AT_MOST), orgId: z.undefined().optional() }),
  z.object({ orgId: id, personIds: z.undefined().optional() }),
]);

/** An activity of the admin's organisations, with the organisation's name. */
export const managedActivity = activityView.extend({ orgName: z.string() });

/** GET /api/activities. */
export const managedActivities = z.strictObject({ items: z.array(managedActivity) });

/** An organisation of the picker: how many people it and those below it have, and of them already picked. */
export const pickableOrg = orgRef.extend({ people: count, picked: count });

/** A person of the picker. */
export const pickable = z.strictObject({ id: dbId, name: z.string(), idMasked: z.string(), orgName: z.string().nullable(), picked: z.boolean() });

/** GET /api/activities/:id/picker without `q`: one organisation, those directly below it, a page of its own people. */
export const pickerView = z.strictObject({
  activity: z.strictObject({ id: dbId, title: z.string() }),
  org: pickableOrg,
  parentId: dbId.nullable(),
  children: z.array(pickableOrg),
  people: z.array(pickable),
  peopleTotal: count,
  page: count,
  pageSize: count,
  picked: count,
  max: count,
});

/** GET /api/activities/:id/picker?q=: people and organisations of the activity's scope by name. */
export const pickerSearch = z.strictObject({ people: z.array(pickable), orgs: z.array(pickableOrg) });

/** A participant as the organiser sees them. */
export const participant = z.strictObject({
  id: dbId,
  name: z.string(),
  idMasked: z.string(),
  orgName: z.string().nullable(),
  response: participantResponse,
  signedInAt: instant.nullable(),
  walkIn: z.boolean(),
});

/** GET /api/activities/:id/participants. */
export const participants = z.strictObject({ activity: managedActivity, items: z.array(participant) });

/** POST /api/activities/:id/participants: how many were added, the total; for 全选 the organisation's name too. */
export const addResult = z.strictObject({ added: count, total: count, org: z.string().optional() });

/** DELETE /api/activities/:id/participants/:personId. */
export const removeResult = z.strictObject({ total: count });

export type ManagedActivity = z.infer<typeof managedActivity>;
export type ManagedActivities = z.infer<typeof managedActivities>;
export type PickableOrg = z.infer<typeof pickableOrg>;
export type Pickable = z.infer<typeof pickable>;
export type PickerView = z.infer<typeof pickerView>;
export type PickerSearch = z.infer<typeof pickerSearch>;
export type Participant = z.infer<typeof participant>;
export type Participants = z.infer<typeof participants>;
export type AddResult = z.infer<typeof addResult>;
export type RemoveResult = z.infer<typeof removeResult>;
