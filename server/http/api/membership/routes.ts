import Router from '@koa/router';
import { z } from 'zod';
import { categoryRuleText, standardCitation } from '../../../../flows/fees/text';
import { attemptText } from '../../../../flows/activities/signin';
import { profileText } from '../../../services/fees/profiles';
import { missingPersonFields } from '../../../services/membership/person-fields';
import { SIGNIN_PAYLOAD } from '../../../services/activities/signin';
import type { ApiContext } from '../context';
import { id } from '../ids';
import { activityView, VERIFICATION_LABELS } from '../present';
import { requireSession, sessionOf } from '../accounts/session';
import { parse } from '../validate';

const responseSchema = z.object({ answer: z.enum(['registered', 'declined']) });
const signinSchema = z.union([
  z.object({ code: z.string().min(1).max(20), token: z.undefined().optional() }),
  z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/), code: z.undefined().optional() }),
]);

/** The member's own pages: profile, fees, activities and their answers, sign-in. */
export function meRoutes(router: Router, api: ApiContext): void {
  const { services } = api;

  // R5, R16: verification state and completeness are separate: a verified profile may lack fields.
  router.get('/api/me', requireSession({ beforePasswordChange: true }), async (ctx) => {
    const session = sessionOf(ctx);
    const card = (await services.accounts.profileCard(session.person.id, session.person))!;
    const missing = missingPersonFields({ ...card, idCipher: card.idMasked });
    ctx.body = {
      person: {
        id: card.id, name: card.name, idMasked: card.idMasked, gender: card.gender, birthDate: card.birthDate, role: card.role,
        phone: card.phone, ethnicity: card.ethnicity, education: card.education, joinedLeagueAt: card.joinedLeagueAt,
        branch: card.branchId === null ? null : { id: card.branchId, fullName: card.branchFullName },
        verification: { state: card.verificationState, label: VERIFICATION_LABELS[card.verificationState], reason: card.verificationReason },
        completeness: { complete: missing.length === 0, missing },
        posts: card.posts,
        adminOf: card.adminOf,
      },
      isAdmin: card.adminOf.length > 0,
      session: { via: session.via, mustChangePassword: card.mustChangePassword, csrfToken: session.csrfToken },
    };
  });

  // R20: the same statement as /fee.
  router.get('/api/me/fees', requireSession(), async (ctx) => {
    const own = await services.fees.own(sessionOf(ctx).person.id);
    if (!own.ok) {
      const message = own.reason === 'applicant' ? '入团申请人尚无需交纳团费，入团后即可在这里查询。' : '您的团籍不在任何团支部，团费由团籍所在的团支部收缴；如有疑问请联系所在组织的管理员。';
      ctx.body = { ok: false, reason: own.reason, message };
      return;
    }
    const { payer, statement, declared } = own;
    const { profile, applied } = statement.current;
    // Why the amount is what it is, in /fee's words.
    const basis = profile && {
      category: profileText(profile),
      rule: applied && categoryRuleText(profile.category, applied),
      standard: applied && standardCitation(applied.standard),
    };
    ctx.body = { ok: true, branch: { id: payer.branchId, fullName: payer.branchName }, statement, basis, declared };
  });

  // R19: what one is invited to (to answer 报名 / 不参加), what one registered for, what one attended.
  router.get('/api/me/activities', requireSession(), async (ctx) => {
    const now = services.deps.now();
    const rows = await services.activityParticipants.ofPerson(sessionOf(ctx).person.id, 100);
    const item = (r: (typeof rows)[number]) => ({ ...activityView(r.activity, now), response: r.response, signedInAt: r.signedInAt?.toISOString() ?? null });
    const ahead = rows.filter((r) => !r.signedInAt && r.activity.endsAt.getTime() >= now.getTime());
    const byStart = (a: (typeof rows)[number], b: (typeof rows)[number]) => a.activity.startsAt.getTime() - b.activity.startsAt.getTime();
    ctx.body = {
      upcoming: ahead.filter((r) => r.response !== 'registered').sort(byStart).map(item),
      registered: ahead.filter((r) => r.response === 'registered').sort(byStart).map(item),
      attended: rows.filter((r) => r.signedInAt).map(item),
      absent: rows.filter((r) => !r.signedInAt && r.activity.endsAt.getTime() < now.getTime()).map(item),
    };
  });

  // 活动登记 (R19): only one's own answer, while the activity has not ended (the service says so).
  router.post('/api/activities/:id/response', requireSession(), async (ctx) => {
    const activityId = parse(id, ctx.params.id);
    const { answer } = parse(responseSchema, ctx.request.body);
    const { activity, response } = await services.activityParticipants.respond(sessionOf(ctx).person.id, activityId, answer === 'registered');
    ctx.body = { activity: activityView(activity, services.deps.now()), response };
  });

  // 活动签到 (R19): the 6-digit code or the QR link's token; wrong codes limited per Telegram user or account.
  router.post('/api/signin', requireSession(), async (ctx) => {
    const session = sessionOf(ctx);
    const body = parse(signinSchema, ctx.request.body);
    const source = session.via === 'telegram' && session.telegramUserId ? `telegram:${session.telegramUserId}` : `web:person:${session.person.id}`;
    const input = body.token !== undefined ? `${SIGNIN_PAYLOAD}${body.token}` : body.code!;
    const result = await services.signin.attempt(session.person.id, source, input);
    const status = result.kind === 'signed' || result.kind === 'already' ? 200 : result.kind === 'limited' ? 429 : result.kind === 'unknown' ? 404 : 409;
    ctx.status = status;
    // The same words as the chat's answer (flows/activities/signin.ts).
    const message = attemptText(result);
    if (status === 200) {
      ctx.body = { kind: result.kind, message, activity: 'activity' in result ? activityView(result.activity, services.deps.now()) : null, signedInAt: 'at' in result ? result.at.toISOString() : null };
    } else {
      ctx.body = { error: { code: `SIGNIN_${result.kind.toUpperCase().replace(/-/g, '_')}`, message } };
    }
  });
}
