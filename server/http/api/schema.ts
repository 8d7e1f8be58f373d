/**
 * The JSON the API sends that several domains share: organisation refs, activity views, the
 * error shape. Like every schema.ts here it imports only zod and other schema files, so the web
 * app can import its inferred types without pulling in the server.
 *
 * Objects are strict: the API tests parse every answer with these (test/http/api/helpers.ts),
 * so a field the server sends but the contract does not name fails there. Dates are ISO strings.
 */
import { z } from 'zod';

/** An instant, as `Date.toISOString()` writes it. */
export const instant = z.iso.datetime();
/** A database id. */
export const dbId = z.number().int().positive();
/** A count, a page number. */
export const count = z.number().int().min(0);

/** The one error shape (server/http/errors.ts, and the sign-in route's refusals). */
export const errorBody = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });

/** `{ ok: true }`: done, nothing more to say. */
export const okBody = z.strictObject({ ok: z.literal(true) });

// The domain's names, repeated from models/: the routes' typed bodies fail to compile when the server sends a value these lack.
export const orgKind = z.enum(['leading_body', 'committee', 'working_committee', 'general_branch', 'branch']);
export const personRole = z.enum(['member', 'cadre', 'applicant']);
export const verificationState = z.enum(['pending', 'verified', 'failed']);
export const activityKind = z.enum(['branch_congress', 'committee_meeting', 'group_meeting', 'other_meeting', 'lesson', 'league_day']);
export const participantResponse = z.enum(['invited', 'registered', 'declined']);

/** An organisation's name and kind, with the kind's Chinese name (present.ts orgView). */
export const orgRef = z.strictObject({ id: dbId, fullName: z.string(), shortName: z.string().optional(), kind: orgKind, kindLabel: z.string() });

/** An organisation named only. */
export const orgName = z.strictObject({ id: dbId, fullName: z.string() });

/** Where an activity's sign-in stands now. */
export const signinState = z.union([
  z.strictObject({ open: z.literal(true), closesAt: instant.nullable() }),
  z.strictObject({ open: z.literal(false), reason: z.literal('early'), opensAt: instant }),
  z.strictObject({ open: z.literal(false), reason: z.literal('over') }),
]);

/** An activity as members and admins see it (present.ts activityView): never its sign-in code or token. */
export const activityView = z.strictObject({
  id: dbId,
  orgId: dbId,
  kind: activityKind,
  kindLabel: z.string(),
  title: z.string(),
  startsAt: instant,
  endsAt: instant,
  place: z.string().nullable(),
  organiser: z.string().nullable(),
  notes: z.string().nullable(),
  signin: signinState,
});

export type OrgKind = z.infer<typeof orgKind>;
export type OrgRef = z.infer<typeof orgRef>;
export type SigninState = z.infer<typeof signinState>;
export type ActivityView = z.infer<typeof activityView>;
export type ErrorBody = z.infer<typeof errorBody>;
