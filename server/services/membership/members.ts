import type { Transaction } from 'sequelize';
import type { Person } from '../../../models/Person';
import { UserError } from '../../errors';
import type { Accounts } from '../accounts/accounts';
import type { Admins } from '../organisations/admins';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import type { Organisations } from '../organisations/organisations';
import type { Posts } from '../organisations/posts';
import { parseDate, parseName, parsePhone, todayInChina } from './roster-import/rows/values';

/** R4 for an admin's entry: the person is already in the system, so there is nothing to add. */
export const MEMBER_DUPLICATE_MESSAGE =
  '该身份证号码已经注册过（不能重复注册），无需再添加。本人可直接用 /login 登录；如需把此人转到本支部，请办理组织关系转接。';

/** One member or cadre as an admin enters them (R7). */
export interface NewMember {
  /** The branch (团支部) the membership is held in. */
  orgId: number;
  idNumber: string;
  name: string;
  role: 'member' | 'cadre';
  /** 职务 of a cadre in that branch (团支部书记 …), optional. */
  postTitle?: string | null;
  /** 入团时间, as typed. */
  joinedLeagueAt: string;
  phone: string;
}

/** Checks a post title: 1-20 characters once trimmed. */
export function checkPostTitle(raw: string): string | null {
  const title = raw.trim();
  if (!title) return '请填写职务名称，如“团支部书记”';
  if (title.length > 20) return '职务名称最多 20 个字';
  return null;
}

/** 组织管理员添加 (R7): an admin enters members and cadres of a branch one by one. */
export class Members {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: Accounts,
    private readonly admins: Admins,
    private readonly orgs: Organisations,
    private readonly posts: Posts,
  ) {}

  /** Refuses unless the actor may add members to `orgId`: a branch in its subtree. */
  async requireTarget(actorPersonId: number, orgId: number, t?: Transaction): Promise<void> {
    const org = await this.orgs.require(orgId, t);
    await this.admins.requireManage(actorPersonId, orgId, t);
    if (org.kind !== 'branch') {
      throw UserError.invalid('NOT_BRANCH', `“${org.fullName}”不是团支部。团员、团干部的组织关系在团支部，请选择一个团支部`);
    }
  }

  /**
   * Adds a member or cadre (R7): the account gets R3's initial password (the last 8
   * characters of the ID number) and must change it at first login; one account per ID
   * number (R4); a cadre's post is given in the branch. Audited.
   */
  async addMember(actorPersonId: number, input: NewMember, t?: Transaction): Promise<Person> {
    const id = this.accounts.requireIdNumber(input.idNumber);
    const name = parseName(input.name.trim() || null);
    if (!name.ok) throw UserError.invalid('NAME_INVALID', name.message);
    const joined = parseDate(input.joinedLeagueAt.trim() || null, { label: '入团时间', today: todayInChina(this.deps.now()), min: id.birthDate });
    if (!joined.ok) throw UserError.invalid('JOINED_INVALID', joined.message);
    const phone = parsePhone(input.phone.trim() || null);
    if (!phone.ok) throw UserError.invalid('PHONE_INVALID', phone.message);
    if (input.role !== 'member' && input.role !== 'cadre') throw UserError.invalid('ROLE_INVALID', '政治面貌请选择“团员”或“团干部”');
    const postTitle = input.role === 'cadre' && input.postTitle?.trim() ? input.postTitle.trim() : null;
    const badTitle = postTitle === null ? null : checkPostTitle(postTitle);
    if (badTitle) throw UserError.invalid('POST_INVALID', badTitle);

    return this.deps.db.transaction(async (tx) => {
      await this.requireTarget(actorPersonId, input.orgId, tx);
      if (await this.accounts.findByIdNumber(id.value, tx)) throw UserError.conflict('DUPLICATE_ACCOUNT', MEMBER_DUPLICATE_MESSAGE);
      let person: Person;
      try {
        person = await this.accounts.create(
          { idNumber: id.value, name: name.value, role: input.role, branchId: input.orgId, phone: phone.value, joinedLeagueAt: joined.value },
          tx,
        );
      } catch (err) {
        if (err instanceof UserError && err.code === 'DUPLICATE_ACCOUNT') throw UserError.conflict('DUPLICATE_ACCOUNT', MEMBER_DUPLICATE_MESSAGE);
        throw err;
      }
      if (postTitle) await this.posts.add(person.id, input.orgId, postTitle, tx);
      await recordAudit(
        {
          actorPersonId,
          orgId: input.orgId,
          action: 'member.add',
          targetType: 'person',
          targetId: person.id,
          after: {
            name: person.name,
            idMasked: person.idMasked,
            role: person.role,
            branchId: person.branchId,
            joinedLeagueAt: person.joinedLeagueAt,
            phone: person.phone,
            postTitle,
          },
        },
        tx,
      );
      return person;
    }, t);
  }
}
