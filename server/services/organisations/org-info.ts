import { Op, Transaction } from 'sequelize';
import { Admin, Organisation, Person, Post } from '../../../models';
import { ORG_KINDS, OrgKind } from '../../../models/Organisation';
import { ForbiddenError, UserError } from '../../errors';
import type { Accounts } from '../accounts/accounts';
import type { Admins } from './admins';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import { checkFullName, checkIndustry, checkShortName, parseSchoolCode } from './org-fields';
import { checkKindFits } from './org-kind-rules';
import { normaliseOrgName } from './org-names';
import type { Posts } from './posts';
import { parseName } from '../membership/roster-import/rows/values';

/** The post a secretary holds (R14). */
export const SECRETARY_TITLE = '书记';

const LOCKED = '团中央和 38 个省级团委的组织全称、简称、组织类别和行业类别不能修改。如确需调整，请联系团中央。';
const NO_CHANGE = () => UserError.invalid('NO_CHANGE', '填写的内容与原来相同，无需修改');

/** An organisation's information and what the actor may change in it. */
export interface OrgInfoView {
  org: Organisation;
  secretaries: Array<{ name: string; idMasked: string }>;
  /** The actor administers this organisation itself (not only one above it). */
  isOwnAdmin: boolean;
  /** R12: names and industry, unless locked. */
  canEditNames: boolean;
  /** R12: once, by the organisation's own admin. */
  canChangeKind: boolean;
  /** R15: school organisations, own admin, never leading bodies. */
  canEditSchoolCode: boolean;
}

/**
 * 完善组织信息 (R12, R14, R15): names, industry, the one kind change, the secretary and the
 * school institution code. Every change is audited with before/after.
 */
export class OrgInfo {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: Accounts,
    private readonly admins: Admins,
    private readonly posts: Posts,
  ) {}

  /** True when the person is an admin of the organisation itself. */
  async isOwnAdmin(personId: number, orgId: number, t?: Transaction): Promise<boolean> {
    return !!(await Admin.findOne({ where: { orgId, personId }, transaction: t }));
  }

  /** The organisation as the actor (who must manage it) sees it. */
  async view(actorPersonId: number, orgId: number): Promise<OrgInfoView> {
    await this.admins.requireManage(actorPersonId, orgId);
    const org = await Organisation.findByPk(orgId);
    if (!org) throw UserError.invalid('ORG_NOT_FOUND', '组织不存在');
    const own = await this.isOwnAdmin(actorPersonId, orgId);
    const posts = await Post.findAll({ where: { orgId, title: SECRETARY_TITLE }, order: [['id', 'ASC']] });
    const people = await Person.findAll({ where: { id: posts.map((p) => p.personId) }, order: [['id', 'ASC']] });
    return {
      org,
      secretaries: people.map((p) => ({ name: p.name, idMasked: p.idMasked })),
      isOwnAdmin: own,
      canEditNames: !org.locked,
      canChangeKind: own && !org.locked && !org.kindChangeUsed,
      canEditSchoolCode: own && org.isSchool && org.kind !== 'leading_body',
    };
  }

  /** R12: short and/or full name; the full name stays unique after normalisation (R11). */
  async rename(actorPersonId: number, orgId: number, input: { shortName?: string; fullName?: string }): Promise<Organisation> {
    const fullName = input.fullName === undefined ? undefined : checkFullName(input.fullName);
    const shortName = input.shortName === undefined ? undefined : checkShortName(input.shortName);
    return this.change(actorPersonId, orgId, 'org.rename', async (org, t) => {
      if (org.locked) throw UserError.invalid('ORG_LOCKED', LOCKED);
      const changes: Partial<Organisation> = {};
      if (shortName !== undefined && shortName !== org.shortName) changes.shortName = shortName;
      if (fullName !== undefined && fullName !== org.fullName) {
        const nameKey = normaliseOrgName(fullName);
        const other = await Organisation.findOne({ where: { nameKey, id: { [Op.ne]: org.id } }, transaction: t });
        if (other) throw UserError.invalid('ORG_NAME_TAKEN', `组织全称“${fullName}”已被其他组织使用（括号、空格的全角半角视为相同），请换一个全称`);
        Object.assign(changes, { fullName, nameKey });
      }
      return changes;
    });
  }

  /** R12: the industry category. */
  async setIndustry(actorPersonId: number, orgId: number, raw: string): Promise<Organisation> {
    const industry = checkIndustry(raw);
    return this.change(actorPersonId, orgId, 'org.industry', async (org) => {
      if (org.locked) throw UserError.invalid('ORG_LOCKED', LOCKED);
      return industry === org.industry ? {} : { industry };
    });
  }

  /** R12: the kind, once, by the organisation's own admin; a school is never a leading body. */
  async changeKind(actorPersonId: number, orgId: number, kind: OrgKind): Promise<Organisation> {
    if (!ORG_KINDS.includes(kind)) throw UserError.invalid('KIND_INVALID', '组织类别不正确，请从按钮中选择');
    return this.change(actorPersonId, orgId, 'org.kind', async (org, t) => {
      if (org.locked) throw UserError.invalid('ORG_LOCKED', LOCKED);
      if (!(await this.isOwnAdmin(actorPersonId, org.id, t))) {
        throw new ForbiddenError('组织类别只能由本组织自己的管理员在完善组织信息时修改，上级组织的管理员不能修改。');
      }
      if (org.kindChangeUsed) throw UserError.invalid('KIND_CHANGE_USED', '组织类别只能修改一次，本组织已经修改过，不能再改。如确需调整，请联系上级组织。');
      if (kind === org.kind) throw NO_CHANGE();
      await checkKindFits(org, kind, t);
      return { kind, kindChangeUsed: true };
    });
  }

  /**
   * R14: names the secretary by ID number and name. Without an account one is created with
   * R3's initial password (a cadre with no branch); the post never moves anyone's membership,
   * and one person may be secretary of several organisations. Replaces the previous secretary.
   */
  async setSecretary(actorPersonId: number, orgId: number, input: { idNumber: string; name: string }): Promise<{ person: Person; created: boolean }> {
    const id = this.accounts.requireIdNumber(input.idNumber);
    const name = parseName(input.name);
    if (!name.ok) throw UserError.invalid('NAME_INVALID', name.message);
    return this.deps.db.transaction(async (t) => {
      const org = await Organisation.findByPk(orgId, { transaction: t, lock: this.deps.db.lockFor(t) });
      if (!org) throw UserError.invalid('ORG_NOT_FOUND', '组织不存在');
      await this.admins.requireManage(actorPersonId, orgId, t);
      let person = await this.accounts.findByIdNumber(id.value, t);
      if (person && person.name !== name.value) {
        throw UserError.invalid('SECRETARY_NAME_MISMATCH', '该身份证号码已有账号，但姓名与您填写的不一致。请核对姓名和身份证号码后重新填写。');
      }
      const created = !person;
      person ??= await this.accounts.create({ idNumber: id.value, name: name.value, role: 'cadre', branchId: null }, t);
      const previous = await Post.findAll({ where: { orgId, title: SECRETARY_TITLE }, transaction: t });
      if (previous.length === 1 && previous[0].personId === person.id) throw UserError.invalid('NO_CHANGE', `${person.name} 已是本组织书记，无需修改`);
      const before = await Person.findAll({ where: { id: previous.map((p) => p.personId) }, transaction: t });
      await Post.destroy({ where: { orgId, title: SECRETARY_TITLE, personId: { [Op.ne]: person.id } }, transaction: t });
      await this.posts.add(person.id, orgId, SECRETARY_TITLE, t);
      await recordAudit(
        {
          actorPersonId,
          orgId,
          action: 'org.secretary',
          targetType: 'organisation',
          targetId: orgId,
          before: { secretaries: before.map((p) => ({ name: p.name, idMasked: p.idMasked })) },
          after: { secretaries: [{ name: person.name, idMasked: person.idMasked }], accountCreated: created },
        },
        t,
      );
      return { person, created };
    });
  }

  /** R15: sets, changes or (with null) clears the school institution code; the organisation's own admin only. */
  async setSchoolCode(actorPersonId: number, orgId: number, raw: string | null): Promise<Organisation> {
    const code = raw === null ? null : parseSchoolCode(raw);
    return this.change(actorPersonId, orgId, 'org.school_code', async (org, t) => {
      if (org.kind === 'leading_body') throw UserError.invalid('SCHOOL_CODE_NOT_OFFERED', '团的领导机关不是学校，没有“学校机构编号”。');
      if (!org.isSchool) throw UserError.invalid('SCHOOL_CODE_NOT_OFFERED', '该组织不是学校团组织，没有“学校机构编号”。');
      if (!(await this.isOwnAdmin(actorPersonId, org.id, t))) throw new ForbiddenError('学校机构编号只能由本级学校团组织自己的管理员填写、修改或清空。');
      if (code === org.schoolCode) throw code === null ? UserError.invalid('NO_CHANGE', '学校机构编号本来就是空的') : NO_CHANGE();
      return { schoolCode: code };
    });
  }

  /**
   * One audited change: locks the organisation, checks the actor manages it, applies the
   * field changes `decide` returns, and records before/after.
   */
  private async change(
    actorPersonId: number,
    orgId: number,
    action: string,
    decide: (org: Organisation, t: Transaction) => Promise<Partial<Organisation>>,
  ): Promise<Organisation> {
    return this.deps.db.transaction(async (t) => {
      const org = await Organisation.findByPk(orgId, { transaction: t, lock: this.deps.db.lockFor(t) });
      if (!org) throw UserError.invalid('ORG_NOT_FOUND', '组织不存在');
      await this.admins.requireManage(actorPersonId, orgId, t);
      const changes = await decide(org, t);
      const keys = Object.keys(changes) as Array<keyof Organisation>;
      if (!keys.length) throw NO_CHANGE();
      const shown = keys.filter((k) => k !== 'nameKey'); // derived from fullName: no news in the log
      const before = Object.fromEntries(shown.map((k) => [k, org[k]]));
      const after = Object.fromEntries(shown.map((k) => [k, changes[k]]));
      await org.update(changes, { transaction: t });
      await recordAudit({ actorPersonId, orgId, action, targetType: 'organisation', targetId: orgId, before, after }, t);
      return org;
    });
  }
}
