/** What the application routes take and send (routes.ts): the pending list and one decision (R8, R9, R9a). */
import { z } from 'zod';
import { count, dbId, instant, orgName } from '../schema';

/** The stages of models/Application.ts; the decision route passes them to the service, so a name it lacks does not compile. */
export const applicationStage = z.enum(['submitted', 'accepted', 'activist', 'candidate', 'admitted', 'approved', 'confirmed', 'rejected']);
export const applicationKind = z.enum(['self_registration', 'join', 'flow_checkin']);

export const decisionSchema = z.object({ from: applicationStage, to: applicationStage, reason: z.string().max(200).optional() });

/** An application as its admins see it (present.ts applicationView), with the moves they may make next. */
export const application = z.strictObject({
  id: dbId,
  kind: applicationKind,
  kindLabel: z.string(),
  stage: applicationStage,
  stageLabel: z.string(),
  org: orgName,
  homeOrgName: z.string().nullable(),
  homeOrgFound: z.boolean().nullable(),
  person: z.strictObject({
    id: dbId,
    name: z.string(),
    idMasked: z.string(),
    gender: z.enum(['M', 'F']),
    birthDate: z.string(),
    phone: z.string().nullable(),
    joinedLeagueAt: z.string().nullable(),
  }),
  role: z.enum(['member', 'cadre']).nullable(),
  roleLabel: z.string().nullable(),
  statement: z.string().nullable(),
  reason: z.string().nullable(),
  submittedAt: instant,
  moves: z.array(z.strictObject({ to: applicationStage, label: z.string() })),
});

/** GET /api/applications: the admin's pending ones (at most 50) and how many there are. */
export const applicationList = z.strictObject({ items: z.array(application), total: count });

/** POST /api/applications/:id/decision. */
export const decisionResult = z.strictObject({ application });

export type ApplicationStage = z.infer<typeof applicationStage>;
export type Application = z.infer<typeof application>;
export type ApplicationList = z.infer<typeof applicationList>;
