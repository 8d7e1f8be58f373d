import { literal, Op, Transaction } from 'sequelize';
import { underAnyPathLiteral } from '../../../models/fast-sql';
import { Admin } from '../../../models/Admin';
import { Application, ApplicationKind } from '../../../models/Application';
import { Organisation } from '../../../models/Organisation';
import { Person } from '../../../models/Person';
import { UserError } from '../../errors';
import { type Accounts, DUPLICATE_MESSAGE } from '../accounts/accounts';
import type { ApplicationDecisions } from './application-decisions';
import type { ApplicationParts } from './application-data';
import { loadParts } from './application-queries';
import { FINAL_STAGES } from './application-stages';
import type { ServiceDeps } from '../deps';
import { CheckinInput, prepareCheckin } from './mobile-member-checkin';
import { JoinInput, prepareJoin } from './join-applications';
import type { Organisations } from '../organisations/organisations';
import type { Outbox } from '../messaging/outbox';
import { prepareReapply, ReapplyInput, requireReapplyAllowed } from './reapply';
import { prepareSelfRegistration, SelfRegistrationInput } from './self-registration';
import type { SubmitSpec } from './submit-spec';

export type { SubmitSpec } from './submit-spec';

/** R4 for the three ways in, with the way out: log in (an admin-added account has R3's password). */
export const APPLICANT_DUPLICATE_MESSAGE = `${DUPLICATE_MESSAGE}\n如果是组织管理员为您添加的账号，初始密码为身份证号码后 8 位。`;

/** A written application and how many admins were told. */
export interface Submitted extends ApplicationParts {
  notifiedAdmins: number;
}

/**
 * Applications that need an admin's decision (R8, R9, R9a): each creates the applicant's
 * account (R4: once per ID number) with no branch, and the branch's admins decide. The
 * decisions themselves (stages, permission, effects) are in `decisions`.
 */
export class Applications {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: Accounts,
    private readonly orgs: Organisations,
    private readonly outbox: Outbox,
    /** An admin's decisions on them (R8, R9, R9a). */
    readonly decisions: ApplicationDecisions,
  ) {}

  /** R1 and R4 up front: a valid ID number that has no account yet. */
  async requireNewIdNumber(raw: string, t?: Transaction): Promise<{ value: string; birthDate: string; gender: 'M' | 'F' }> {
    const id = this.accounts.requireIdNumber(raw);
    if (await this.accounts.findByIdNumber(id.value, t)) throw UserError.conflict('DUPLICATE_ACCOUNT', APPLICANT_DUPLICATE_MESSAGE);
    return id;
  }

  /** The organisation applied to, which must be a branch (团支部): memberships are held there (R10). */
  async requireBranch(orgId: number, t?: Transaction): Promise<Organisation> {
    const org = await this.orgs.get(orgId, t);
    if (!org) throw UserError.invalid('ORG_NOT_FOUND', '所选的团支部不存在，请重新搜索选择');
    if (org.kind !== 'branch') throw UserError.invalid('NOT_BRANCH', `“${org.fullName}”不是团支部，请选择一个团支部`);
    return org;
  }

  /** 团员团干部注册 (R8). */
  async registerMember(input: SelfRegistrationInput): Promise<Submitted> {
    const id = this.accounts.requireIdNumber(input.idNumber);
    return this.submit(prepareSelfRegistration(input, id, this.deps.now()));
  }

  /** 我要入团 (R9). */
  async applyToJoin(input: JoinInput): Promise<Submitted> {
    const id = this.accounts.requireIdNumber(input.idNumber);
    return this.submit(prepareJoin(input, id, this.deps.now()));
  }

  /** 流动团员报到 (R9a). */
  async checkIn(input: CheckinInput): Promise<Submitted> {
    const id = this.accounts.requireIdNumber(input.idNumber);
    return this.submit(await prepareCheckin(input, id, this.deps.now(), this.orgs));
  }

  /** Creates the account and the application in one transaction and tells the deciding admins. */
  private async submit(spec: SubmitSpec): Promise<Submitted> {
    const account = await this.accounts.withHashedPassword(spec.account);
    return this.deps.db.transaction(async (t) => {
      const org = await this.requireBranch(spec.orgId, t);
      await this.requireNewIdNumber(spec.account.idNumber, t);
      const person = await this.accounts.create(account, t).catch((err) => {
        if (err instanceof UserError && err.code === 'DUPLICATE_ACCOUNT') throw UserError.conflict('DUPLICATE_ACCOUNT', APPLICANT_DUPLICATE_MESSAGE);
        throw err;
      });
      return this.file(spec, person, org, t);
    });
  }

  /** Applies again from an account with no branch and nothing waiting (after a rejection); no new account (R4). */
  async reapply(personId: number, input: ReapplyInput): Promise<Submitted> {
    return this.deps.db.transaction(async (t) => {
      const person = await this.requireReapply(personId, input.kind, t);
      const org = await this.requireBranch(input.branchId, t);
      const { role, ...rest } = { role: undefined, ...(await prepareReapply(input, this.orgs, t)) };
      if (role) person.role = role;
      await person.save({ transaction: t });
      return this.file({ ...rest, kind: input.kind, orgId: org.id }, person, org, t);
    });
  }

  /** The person, if they may apply again in this way; otherwise a UserError that says why. */
  async requireReapply(personId: number, kind: ApplicationKind, t?: Transaction): Promise<Person> {
    // Locked so that two submissions at the same moment cannot open two applications.
    const person = await Person.findByPk(personId, { transaction: t, lock: t ? this.deps.db.lockFor(t) : undefined });
    if (!person) throw UserError.invalid('PERSON_NOT_FOUND', '账号不存在，请重新登录');
    const open = await Application.findOne({ where: { personId, stage: { [Op.notIn]: FINAL_STAGES } }, transaction: t });
    const branch = person.branchId ? await this.orgs.get(person.branchId, t) : null;
    requireReapplyAllowed(person, kind, open, branch, this.deps.now());
    return person;
  }

  /** Writes the application and tells the deciding admins, in the caller's transaction. */
  private async file(spec: Omit<SubmitSpec, 'account'>, person: Person, org: Organisation, t: Transaction): Promise<Submitted> {
    const history = [{ stage: 'submitted', at: this.deps.now().toISOString(), by: person.id }];
    const app = await Application.create(
      {
        kind: spec.kind,
        personId: person.id,
        orgId: org.id,
        homeOrgName: spec.homeOrgName ?? null,
        stage: 'submitted',
        homeOrgId: spec.homeOrgId ?? null,
        decidedByPersonId: null,
        decidedAt: null,
        reason: null,
        data: JSON.stringify({ ...spec.data, history }),
      },
      { transaction: t },
    );
    const homeOrg = app.homeOrgId ? await this.orgs.get(app.homeOrgId, t) : null;
    const parts = { app, person, org, homeOrg };
    const admins = await this.deciderAdminsOf(org, t);
    for (const adminId of admins) {
      await this.outbox.toPerson(adminId, { kind: 'application.submitted', applicationId: app.id }, { dedupeKey: `app:${app.id}:submitted:${adminId}`, t });
    }
    return { ...parts, notifiedAdmins: admins.length };
  }

  /** Admins told of a new application: the branch's own, or those of the nearest ancestor that has any. */
  async deciderAdminsOf(org: Organisation, t?: Transaction): Promise<number[]> {
    const ids = this.orgs.ancestorIds(org);
    const rows = await Admin.findAll({ where: { orgId: ids }, order: [['id', 'ASC']], transaction: t });
    for (const orgId of ids.reverse()) {
      const here = rows.filter((r) => r.orgId === orgId);
      if (here.length) return here.map((r) => r.personId);
    }
    return [];
  }

  async require(appId: number, t?: Transaction, lock = false): Promise<Application> {
    const app = await Application.findByPk(appId, { transaction: t, lock: lock && t ? this.deps.db.lockFor(t) : undefined });
    if (!app) throw UserError.notFound('APPLICATION_NOT_FOUND', '该申请不存在。发送 /applications 查看待处理的申请。');
    return app;
  }

  /** Loads what applications point at. */
  partsOf(apps: Application[], t?: Transaction): Promise<ApplicationParts[]> {
    return loadParts(apps, t);
  }

  /** The applicant's own applications, newest first (for /status). */
  async ofPerson(personId: number): Promise<ApplicationParts[]> {
    return this.partsOf(await Application.findAll({ where: { personId }, order: [['id', 'DESC']] }));
  }

  /** Undecided applications to organisations the admin manages (its own and those below), oldest first. */
  async pendingFor(actorPersonId: number, limit = 20): Promise<{ items: ApplicationParts[]; total: number }> {
    const roots = await Organisation.findAll({
      where: { id: (await Admin.findAll({ where: { personId: actorPersonId } })).map((a) => a.orgId) },
    });
    if (!roots.length) return { items: [], total: 0 };
    const { sequelize } = this.deps.db;
    const within = underAnyPathLiteral(
      sequelize,
      'path',
      roots.map((r) => r.path),
    );
    const where = { stage: { [Op.notIn]: FINAL_STAGES }, orgId: { [Op.in]: literal(`(SELECT id FROM organisations WHERE ${within})`) } };
    const [apps, total] = await Promise.all([Application.findAll({ where, order: [['id', 'ASC']], limit }), Application.count({ where })]);
    return { items: await this.partsOf(apps), total };
  }
}
