import { Op, Transaction } from 'sequelize';
import { Invitation, Organisation, Person, Post } from '../../../models';
import type { OrgKind } from '../../../models/Organisation';
import { ForbiddenError, UserError, type ErrorCode } from '../../errors';
import type { Accounts } from '../accounts/accounts';
import type { Admins } from './admins';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import type { Outbox } from '../messaging/outbox';
import type { Posts } from './posts';

/** How long an invitation stays open. */
export const INVITATION_DAYS = 7;

/** R13: kinds one is invited into; branches are joined by R6-R9a. */
export const INVITABLE_KINDS: readonly OrgKind[] = ['leading_body', 'committee', 'working_committee', 'general_branch'];

const INTO_BRANCH =
  '团支部不能通过邀请加入：团员通过管理员注册、组织管理员添加、团员团干部注册、我要入团或流动团员报到加入团支部。邀请只用于团的领导机关、团委、团工委和团总支，请另选组织。';

const ANSWERED: Record<string, string> = {
  accepted: '您已接受过这条邀请，无需再次操作。',
  declined: '您已拒绝过这条邀请。如需加入，请联系该组织的管理员重新邀请。',
  expired: `这条邀请已过期（有效期 ${INVITATION_DAYS} 天）。如仍需加入，请联系邀请您的管理员重新邀请。`,
};
const ANSWERED_CODE: Record<string, ErrorCode> = { accepted: 'INVITE_ACCEPTED', declined: 'INVITE_DECLINED', expired: 'INVITE_EXPIRED' };

/** A pending invitation with its organisation, for the invitee's list. */
export interface OpenInvitation {
  invitation: Invitation;
  org: Organisation;
}

/** Invitations (邀请, R13): an admin invites a registered user into a non-branch organisation with a post. */
export class Invitations {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly accounts: Accounts,
    private readonly admins: Admins,
    private readonly outbox: Outbox,
    private readonly posts: Posts,
  ) {}

  /** The organisation, if the actor manages it and it can take invitations; else a refusal saying why. */
  async requireInvitableOrg(actorPersonId: number, orgId: number, t?: Transaction): Promise<Organisation> {
    const org = await Organisation.findByPk(orgId, { transaction: t });
    if (!org) throw UserError.invalid('ORG_NOT_FOUND', '组织不存在');
    await this.admins.requireManage(actorPersonId, orgId, t);
    if (!INVITABLE_KINDS.includes(org.kind)) throw UserError.invalid('INVITE_INTO_BRANCH', INTO_BRANCH);
    return org;
  }

  /** The registered user with this ID number, or a refusal naming the way out (R13 invites registered users only). */
  async requireInvitee(idNumber: string, t?: Transaction): Promise<Person> {
    const person = await this.accounts.findByIdNumber(this.accounts.requireIdNumber(idNumber).value, t);
    if (!person)
      throw UserError.invalid('INVITEE_NOT_REGISTERED', '该身份证号码尚未注册。邀请只能发给已注册的用户：请对方先注册，或由其所在团支部的管理员添加后再邀请。');
    return person;
  }

  /** Checks a post title (职务): 1-20 characters. */
  normaliseTitle(raw: string): string {
    const title = raw.replace(/[\s\u3000]+/g, ' ').trim();
    if (!title || Array.from(title).length > 20) throw UserError.invalid('TITLE_INVALID', '职务请填写 1-20 个字，如“副书记”“组织委员”');
    return title;
  }

  /**
   * Invites the registered user with this ID number into `orgId` as `title`, and notifies them
   * with accept / decline buttons. One open invitation per person and organisation.
   */
  async invite(
    actorPersonId: number,
    input: { orgId: number; idNumber: string; title: string },
  ): Promise<{ invitation: Invitation; invitee: Person; org: Organisation; notified: number }> {
    const title = this.normaliseTitle(input.title);
    const id = this.accounts.requireIdNumber(input.idNumber);
    return this.deps.db.transaction(async (t) => {
      const org = await this.requireInvitableOrg(actorPersonId, input.orgId, t);
      const found = await this.requireInvitee(id.value, t);
      // Locks the invitee so two admins inviting at once cannot make two open invitations.
      const invitee = (await Person.findByPk(found.id, { transaction: t, lock: this.deps.db.lockFor(t) }))!;
      if (await Post.findOne({ where: { personId: invitee.id, orgId: org.id, title }, transaction: t })) {
        throw UserError.invalid('ALREADY_HOLDS', `${invitee.name} 已在“${org.fullName}”担任${title}，无需邀请。`);
      }
      await this.expireDue(t);
      if (await Invitation.findOne({ where: { orgId: org.id, personId: invitee.id, status: 'pending' }, transaction: t })) {
        throw UserError.invalid(
          'INVITE_DUPLICATE',
          `已邀请 ${invitee.name} 加入该组织，对方尚未答复。请等待对方接受或拒绝；邀请 ${INVITATION_DAYS} 天后过期，过期后可重新邀请。`,
        );
      }
      const expiresAt = new Date(this.deps.now().getTime() + INVITATION_DAYS * 86_400_000);
      const invitation = await Invitation.create(
        { orgId: org.id, personId: invitee.id, title, invitedByPersonId: actorPersonId, expiresAt },
        { transaction: t },
      );
      await recordAudit(
        {
          actorPersonId,
          orgId: org.id,
          action: 'invitation.create',
          targetType: 'invitation',
          targetId: invitation.id,
          after: { personId: invitee.id, idMasked: invitee.idMasked, title },
        },
        t,
      );
      const notified = await this.outbox.toPerson(
        invitee.id,
        { kind: 'invitation.received', invitationId: invitation.id },
        { dedupeKey: `invitation:${invitation.id}`, t },
      );
      return { invitation, invitee, org, notified };
    });
  }

  /**
   * The invitee accepts or declines. Accepting gives the post (R14: membership never moves).
   * Only the invitee may answer; an answered or expired invitation says so.
   */
  async respond(actorPersonId: number, invitationId: number, accept: boolean): Promise<OpenInvitation> {
    const outcome = await this.deps.db.transaction(async (t): Promise<{ invitation: Invitation; org?: Organisation }> => {
      const invitation = await Invitation.findByPk(invitationId, { transaction: t, lock: this.deps.db.lockFor(t) });
      // Someone else's invitation gets the same answer as none: a forged button learns nothing.
      if (!invitation || invitation.personId !== actorPersonId)
        throw new ForbiddenError('找不到这条邀请：它不存在、已被撤销，或不是发给您的。发送 /invitations 查看您的邀请。');
      if (invitation.status !== 'pending') return { invitation };
      if (invitation.expiresAt.getTime() <= this.deps.now().getTime()) {
        await invitation.update({ status: 'expired' }, { transaction: t });
        return { invitation }; // committed, then refused below
      }
      const org = (await Organisation.findByPk(invitation.orgId, { transaction: t }))!;
      if (accept && !INVITABLE_KINDS.includes(org.kind)) throw UserError.invalid('INVITE_INTO_BRANCH', INTO_BRANCH);
      await invitation.update({ status: accept ? 'accepted' : 'declined' }, { transaction: t });
      if (accept) await this.posts.add(invitation.personId, org.id, invitation.title, t);
      await recordAudit(
        {
          actorPersonId,
          orgId: org.id,
          action: accept ? 'invitation.accept' : 'invitation.decline',
          targetType: 'invitation',
          targetId: invitation.id,
          before: { status: 'pending' },
          after: { status: invitation.status, title: invitation.title },
        },
        t,
      );
      await this.outbox.toPerson(
        invitation.invitedByPersonId,
        { kind: 'invitation.answered', invitationId: invitation.id },
        { dedupeKey: `invitation:${invitation.id}:answer`, t },
      );
      return { invitation, org };
    });
    const { invitation, org } = outcome;
    if (!org) throw UserError.invalid(ANSWERED_CODE[invitation.status], ANSWERED[invitation.status]);
    return { invitation, org };
  }

  /** The person's open invitations (expired ones are marked first). */
  async openFor(personId: number): Promise<OpenInvitation[]> {
    await this.deps.db.transaction((t) => this.expireDue(t));
    const invitations = await Invitation.findAll({ where: { personId, status: 'pending' }, order: [['id', 'ASC']] });
    const orgs = await Organisation.findAll({ where: { id: invitations.map((i) => i.orgId) } });
    const byId = new Map(orgs.map((o) => [o.id, o]));
    return invitations.filter((i) => byId.has(i.orgId)).map((invitation) => ({ invitation, org: byId.get(invitation.orgId)! }));
  }

  /** Marks pending invitations past their expiry as expired; returns how many. */
  async expireDue(t?: Transaction): Promise<number> {
    return this.deps.db.transaction(async (tx) => {
      const [n] = await Invitation.update({ status: 'expired' }, { where: { status: 'pending', expiresAt: { [Op.lte]: this.deps.now() } }, transaction: tx });
      return n;
    }, t);
  }
}
