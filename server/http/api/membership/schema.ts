/** What the member's own pages take and send (routes.ts): profile, fees, activities, sign-in. */
import { z } from 'zod';
import { sessionVia } from '../accounts/schema';
import { activityView, dbId, instant, orgKind, orgName, participantResponse, personRole, verificationState } from '../schema';

export const responseSchema = z.object({ answer: z.enum(['registered', 'declined']) });
export const signinSchema = z.union([
  z.object({ code: z.string().min(1).max(20), token: z.undefined().optional() }),
  z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/), code: z.undefined().optional() }),
]);

/** GET /api/me (R5, R16): verification and completeness apart. */
export const me = z.strictObject({
  person: z.strictObject({
    id: dbId,
    name: z.string(),
    idMasked: z.string(),
    gender: z.enum(['M', 'F']),
    birthDate: z.string(),
    role: personRole,
    phone: z.string().nullable(),
    ethnicity: z.string().nullable(),
    education: z.string().nullable(),
    joinedLeagueAt: z.string().nullable(),
    branch: orgName.nullable(),
    verification: z.strictObject({ state: verificationState, label: z.string(), reason: z.string().nullable() }),
    completeness: z.strictObject({ complete: z.boolean(), missing: z.array(z.string()) }),
    posts: z.array(z.strictObject({ orgShortName: z.string(), title: z.string() })),
    adminOf: z.array(z.strictObject({ fullName: z.string(), kind: orgKind })),
  }),
  isAdmin: z.boolean(),
  session: z.strictObject({ via: sessionVia, mustChangePassword: z.boolean(), csrfToken: z.string() }),
});

/** A month, `YYYY-MM`. */
const month = z.string().regex(/^\d{4}-\d{2}$/);
/** An amount in fen; null where it is not known (no category, or no wage for a wage earner). */
const fen = z.number().int();
// A band names its category when it comes from the standard's table (services/fees/standard-table.ts).
const feeBand = z.strictObject({
  category: z.string().optional(),
  wageFromFen: fen,
  flatFen: fen.nullable(),
  ratePerMille: z.number().nullable(),
  roundingFen: fen.nullable(),
  capFen: fen.nullable(),
});
// The standard as the table holds it: its whole band table comes along (not read by the web app).
const standardInfo = z.strictObject({
  id: dbId,
  name: z.string(),
  title: z.string(),
  article: z.string().nullable(),
  validFrom: month,
  bands: z.array(feeBand).optional(),
});

/** One month of the year's statement (R20). */
export const monthLine = z.strictObject({
  month,
  dueFen: fen.nullable(),
  standard: standardInfo.nullable(),
  category: z.string().nullable(),
  paid: z.boolean(),
});

/** The year so far, as /fee counts it (services/fees/statement.ts). */
export const yearStatement = z.strictObject({
  year: z.number().int(),
  asOfMonth: month,
  startMonth: month.nullable(),
  months: z.array(monthLine),
  dueFen: fen.nullable(),
  paidFen: fen,
  paidMonths: z.array(month),
  owedMonths: z.array(month),
  owedFen: fen.nullable(),
  current: z.strictObject({
    profile: z.strictObject({ id: dbId, validFrom: month, category: z.string(), wageFen: fen.nullable() }).nullable(),
    applied: z.strictObject({ standard: standardInfo, bands: z.array(feeBand) }).nullable(),
    dueFen: fen.nullable(),
  }),
});

/** GET /api/me/fees (R20): the statement and why the amount is what it is; or why there is none. */
export const myFees = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(false), reason: z.enum(['no-branch', 'applicant']), message: z.string() }),
  z.strictObject({
    ok: z.literal(true),
    branch: orgName,
    statement: yearStatement,
    basis: z.strictObject({ category: z.string(), rule: z.string().nullable(), standard: z.string().nullable() }).nullable(),
    declared: z.strictObject({ category: z.string(), wageFen: fen.nullable() }).nullable(),
  }),
]);

/** An activity one is on the list of, with one's answer and sign-in. */
export const myActivity = activityView.extend({ response: participantResponse, signedInAt: instant.nullable() });

/** GET /api/me/activities (R19). */
export const myActivities = z.strictObject({
  upcoming: z.array(myActivity),
  registered: z.array(myActivity),
  /** Answered 不参加 and not yet over: out of 待答复, still open to 报名. */
  declined: z.array(myActivity),
  attended: z.array(myActivity),
  absent: z.array(myActivity),
});

/** POST /api/activities/:id/response (活动登记). */
export const responseResult = z.strictObject({ activity: activityView, response: participantResponse });

/** POST /api/signin when signed in (now or before); every refusal is the error shape, with the chat's words. */
export const signinResult = z.strictObject({ kind: z.enum(['signed', 'already']), message: z.string(), activity: activityView, signedInAt: instant });

export type Me = z.infer<typeof me>;
export type MonthLine = z.infer<typeof monthLine>;
export type YearStatement = z.infer<typeof yearStatement>;
export type MyFees = z.infer<typeof myFees>;
export type MyActivity = z.infer<typeof myActivity>;
export type MyActivities = z.infer<typeof myActivities>;
export type ResponseResult = z.infer<typeof responseResult>;
export type SigninResult = z.infer<typeof signinResult>;
