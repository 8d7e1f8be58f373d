import type { Transaction } from 'sequelize';
import { Application } from '../../../models/Application';
import { Person } from '../../../models/Person';
import { ForbiddenError, UserError } from '../../errors';
import type { Admins } from '../organisations/admins';
import { requireText } from './applicant-input';
import { ApplicationParts, dataOf } from './application-data';
import { ApplicationStage, canMove, DEFAULT_REJECT_REASONS, isFinal, STAGE_LABELS } from './application-stages';
import { loadParts } from './application-queries';
import { recordAudit } from '../audit/audit';
import { formatChinaTime } from '../../lib/china-datetime';
import type { ServiceDeps } from '../deps';
import type { Outbox } from '../messaging/outbox';
import { todayInChina } from '../membership/roster-import/rows/values';

/** The one answer for an application one may not see, and for none at all. */
const notFound = () => new ForbiddenError('找不到这份申请，或您无权查看和审核它（只有申请所在团支部及其上级组织的管理员可以审核）。');

/**
 * An admin's decisions on applications (R8, R9, R9a): only an admin of the branch or of an
 * organisation above it decides; each move follows the stage machine, is audited and told to
 * the applicant; a decided application cannot be decided again.
 */
export class ApplicationDecisions {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly admins: Admins,
    private readonly outbox: Outbox,
  ) {}

  /** The application as its admins see it: nothing of it is read before the permission check. */
  async view(actorPersonId: number, appId: number): Promise<ApplicationParts> {
    const app = await this.requireDecidable(actorPersonId, appId);
    const [parts] = await loadParts([app]);
    if (!parts) throw notFound();
    return parts;
  }

  /**
   * Checks, without changing anything, that the actor may move the application from `from`
   * to `to` now: the reject conversation asks this before it asks for a reason.
   */
  async requireMovable(actorPersonId: number, appId: number, from: ApplicationStage, to: ApplicationStage, t?: Transaction): Promise<ApplicationParts> {
    const app = await this.requireDecidable(actorPersonId, appId, t, true);
    const [parts] = await loadParts([app], t);
    if (!parts) throw notFound();
    if (app.stage !== from || !canMove(app.kind, from, to)) throw await this.staleError(parts, t);
    return parts;
  }

  /**
   * Moves an application one stage on, or rejects it (with the admin's reason or a default
   * one). Approval places the person in the branch; admission (R9) also makes them a member
   * who joined today.
   */
  async move(actorPersonId: number, appId: number, from: ApplicationStage, to: ApplicationStage, reason?: string): Promise<ApplicationParts> {
    const given = to === 'rejected' && reason?.trim() ? requireText(reason, '驳回理由', 2, 200) : null;
    return this.deps.db.transaction(async (t) => {
      const parts = await this.requireMovable(actorPersonId, appId, from, to, t);
      const { app, person } = parts;
      const now = this.deps.now();
      const before = { stage: app.stage, role: person.role, branchId: person.branchId };
      if (to === 'approved' || to === 'confirmed' || to === 'admitted') person.branchId = app.orgId;
      if (to === 'admitted') {
        person.role = 'member';
        person.joinedLeagueAt = todayInChina(now);
      }
      const data = dataOf(app);
      data.history.push({ stage: to, at: now.toISOString(), by: actorPersonId });
      app.data = JSON.stringify(data);
      app.stage = to;
      if (to === 'rejected') app.reason = given ?? DEFAULT_REJECT_REASONS[app.kind];
      if (isFinal(to)) {
        app.decidedByPersonId = actorPersonId;
        app.decidedAt = now;
      }
      await person.save({ transaction: t });
      await app.save({ transaction: t });
      await recordAudit(
        {
          actorPersonId,
          orgId: app.orgId,
          action: `application.${to}`,
          targetType: 'application',
          targetId: app.id,
          before,
          after: { stage: to, role: person.role, branchId: person.branchId, reason: app.reason, personId: person.id, idMasked: person.idMasked },
        },
        t,
      );
      await this.outbox.toPerson(person.id, { kind: 'application.moved', applicationId: app.id, to }, { dedupeKey: `app:${app.id}:${to}:applicant`, t });
      return parts;
    });
  }

  /**
   * The application, if the actor administers its organisation or one above. Who may not gets
   * the same answer whether it exists or not: a forged button learns nothing.
   */
  private async requireDecidable(actorPersonId: number, appId: number, t?: Transaction, lock = false): Promise<Application> {
    const app = await Application.findByPk(appId, { transaction: t, lock: lock && t ? this.deps.db.lockFor(t) : undefined });
    if (!app || !(await this.admins.canManage(actorPersonId, app.orgId, t))) throw notFound();
    return app;
  }

  /** Says who moved the application last and when, for a second press or an old button. */
  private async staleError({ app }: ApplicationParts, t?: Transaction): Promise<UserError> {
    const last = dataOf(app).history.at(-1);
    const byId = app.decidedByPersonId ?? last?.by ?? null;
    const at = app.decidedAt ?? (last ? new Date(last.at) : app.updatedAt);
    const who = (byId && (await Person.findByPk(byId, { transaction: t }))?.name) || '管理员';
    const label = STAGE_LABELS[app.stage];
    if (isFinal(app.stage)) {
      return UserError.conflict('APPLICATION_DECIDED', `这份申请已由 ${who} 于 ${formatChinaTime(at)} 处理（${label}），不能再次处理。`);
    }
    return UserError.conflict(
      'APPLICATION_MOVED',
      `这份申请当前为“${label}”（${who} 于 ${formatChinaTime(at)} 更新），这个按钮已过期。发送 /applications 查看最新情况。`,
    );
  }
}
