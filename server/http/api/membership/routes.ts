import Router from '@koa/router';
import { profileText } from '../../../services/fees/profiles';
import { categoryRuleText, standardCitation } from '../../../wording/fees';
import { missingPersonFields } from '../../../services/membership/person-fields';
import { SIGNIN_PAYLOAD } from '../../../services/activities/signin';
import { attendanceMarkOf } from '../../../services/activities/attendance';
import { attemptText } from '../../../wording/activities';
import type { ApiContext } from '../context';
import { id } from '../ids';
import { activityView, VERIFICATION_LABELS } from '../present';
import { requireSession, sessionOf } from '../accounts/session';
import { parse } from '../validate';
import { send } from '../send';
import { errorBody } from '../schema';
import { me, myActivities, myFees, responseResult, responseSchema, signinResult, signinSchema } from './schema';

/** The member's own pages: profile, fees, activities and their answers, sign-in. */
export function meRoutes(router: Router, api: ApiContext): void {
  const { services } = api;

  // R5, R16: verification state and completeness are separate: a verified profile may lack fields.
  router.get('/api/me', requireSession({ beforePasswordChange: true }), async (ctx) => {
    const session = sessionOf(ctx);
    const card = (await services.accounts.profileCard(session.person.id, session.person))!;
    const missing = missingPersonFields({ ...card, idCipher: card.idMasked });
    send(ctx, me, {
      person: {
        id: card.id,
        name: card.name,
        idMasked: card.idMasked,
        gender: card.gender,
        birthDate: card.birthDate,
        role: card.role,
        phone: card.phone,
        ethnicity: card.ethnicity,
        education: card.education,
        joinedLeagueAt: card.joinedLeagueAt,
        branch: card.branchId === null || card.branchFullName === null ? null : { id: card.branchId, fullName: card.branchFullName },
        verification: { state: card.verificationState, label: VERIFICATION_LABELS[card.verificationState], reason: card.verificationReason },
        completeness: { complete: missing.length === 0, missing },
        posts: card.posts,
        adminOf: card.adminOf,
      },
      isAdmin: card.adminOf.length > 0,
      session: { via: session.via, mustChangePassword: card.mustChangePassword, csrfToken: session.csrfToken },
    });
  });

  // R20: the same statement as /fee.
  router.get('/api/me/fees', requireSession(), async (ctx) => {
    const own = await services.fees.own(sessionOf(ctx).person.id);
    if (!own.ok) {
      const message =
        own.reason === 'applicant'
          ? '入团申请人尚无需交纳团费，入团后即可在这里查询。'
          : '您的团籍不在任何团支部，团费由团籍所在的团支部收缴；如有疑问请联系所在组织的管理员。';
      send(ctx, myFees, { ok: false, reason: own.reason, message });
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
    send(ctx, myFees, { ok: true, branch: { id: payer.branchId, fullName: payer.branchName }, statement, basis, declared });
  });

  // R19: what one is invited to (to answer 报名 / 不参加), what one registered for, what one attended.
  router.get('/api/me/activities', requireSession(), async (ctx) => {
    const now = services.deps.now();
    const rows = await services.activityParticipants.ofPerson(sessionOf(ctx).person.id, 100);
    const item = (r: (typeof rows)[number]) => ({ ...activityView(r.activity, now), response: r.response, signedInAt: r.signedInAt?.toISOString() ?? null });
    // The chat's rule (attendanceMarkOf): absent once sign-in is over, not once the activity ends.
    const marked = rows.map((r) => ({ ...r, mark: attendanceMarkOf(r.activity, r, now) }));
    const ahead = marked.filter((r) => r.mark === 'waiting');
    const byStart = (a: (typeof rows)[number], b: (typeof rows)[number]) => a.activity.startsAt.getTime() - b.activity.startsAt.getTime();
    send(ctx, myActivities, {
      // 待答复 is what still waits for an answer: one answered 不参加 has left it (its own list keeps it, to change one's mind).
      upcoming: ahead
        .filter((r) => r.response === 'invited')
        .sort(byStart)
        .map(item),
      registered: ahead
        .filter((r) => r.response === 'registered')
        .sort(byStart)
        .map(item),
      declined: ahead
        .filter((r) => r.response === 'declined')
        .sort(byStart)
        .map(item),
      attended: marked.filter((r) => r.mark === 'signed').map(item),
      absent: marked.filter((r) => r.mark === 'absent').map(item),
    });
  });

  // 活动登记 (R19): only one's own answer, while the activity has not ended (the service says so).
  router.post('/api/activities/:id/response', requireSession(), async (ctx) => {
    const activityId = parse(id, ctx.params.id);
    const { answer } = parse(responseSchema, ctx.request.body);
    const { activity, response } = await services.activityParticipants.respond(sessionOf(ctx).person.id, activityId, answer === 'registered');
    send(ctx, responseResult, { activity: activityView(activity, services.deps.now()), response });
  });

  // 活动签到 (R19): the 6-digit code or the QR link's token; wrong codes limited per Telegram user or account.
  router.post('/api/signin', requireSession(), async (ctx) => {
    const session = sessionOf(ctx);
    const body = parse(signinSchema, ctx.request.body);
    const source = session.via === 'telegram' && session.telegramUserId ? `telegram:${session.telegramUserId}` : `web:person:${session.person.id}`;
    const input = body.token !== undefined ? `${SIGNIN_PAYLOAD}${body.token}` : body.code!;
    const result = await services.signin.attempt(session.person.id, source, input);
    // The same words as the chat's answer (services/activities/wording.ts).
    const message = attemptText(result);
    if (result.kind === 'signed' || result.kind === 'already') {
      send(ctx, signinResult, {
        kind: result.kind,
        message,
        activity: activityView(result.activity, services.deps.now()),
        signedInAt: result.at.toISOString(),
      });
      return;
    }
    const status = result.kind === 'limited' ? 429 : result.kind === 'unknown' ? 404 : 409;
    send(ctx, errorBody, { error: { code: `SIGNIN_${result.kind.toUpperCase().replace(/-/g, '_')}`, message } }, status);
  });
}
