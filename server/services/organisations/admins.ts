import { Op, Transaction } from 'sequelize';
import { Admin, Organisation } from '../../../models';
import { ForbiddenError, UserError } from '../../errors';
import type { ServiceDeps } from '../deps';

/** R6: an organisation has at most this many admins. */
export const MAX_ADMINS = 2;

/** Organisation admins and the one permission rule: an admin acts on its organisation and those below. */
export class Admins {
  constructor(private readonly deps: ServiceDeps) {}

  /** Organisations the person administers directly. */
  async orgsOf(personId: number, t?: Transaction): Promise<Organisation[]> {
    const rows = await Admin.findAll({ where: { personId }, transaction: t });
    if (!rows.length) return [];
    return Organisation.findAll({
      where: { id: rows.map((r) => r.orgId) },
      order: [
        ['depth', 'ASC'],
        ['id', 'ASC'],
      ],
      transaction: t,
    });
  }

  async isAdmin(personId: number): Promise<boolean> {
    return (await Admin.count({ where: { personId } })) > 0;
  }

  /** True when the person administers `orgId` itself or one of its ancestors. */
  async canManage(personId: number, orgId: number, t?: Transaction): Promise<boolean> {
    const org = await Organisation.findByPk(orgId, { transaction: t });
    if (!org) return false;
    const ancestorIds = org.path.split('/').filter(Boolean).map(Number);
    return (await Admin.count({ where: { personId, orgId: { [Op.in]: ancestorIds } }, transaction: t })) > 0;
  }

  /** Throws a ForbiddenError that says why, unless the person may act on `orgId`. */
  async requireManage(personId: number, orgId: number, t?: Transaction): Promise<void> {
    if (!(await this.canManage(personId, orgId, t))) {
      throw new ForbiddenError('您不是该组织或其上级组织的管理员，无权进行此操作');
    }
  }

  countOf(orgId: number, t?: Transaction): Promise<number> {
    return Admin.count({ where: { orgId }, transaction: t });
  }

  /**
   * Makes a person an admin of an organisation, at most MAX_ADMINS (R6). The organisation
   * row is locked first so two registrations at the same moment cannot make three.
   */
  async add(orgId: number, personId: number, t?: Transaction): Promise<Admin> {
    return this.deps.db.transaction(async (tx) => {
      const org = await Organisation.findByPk(orgId, { transaction: tx, lock: this.deps.db.lockFor(tx) });
      if (!org) throw UserError.invalid('ORG_NOT_FOUND', '组织不存在');
      if (await Admin.findOne({ where: { orgId, personId }, transaction: tx })) {
        throw UserError.invalid('ALREADY_ADMIN', '您已经是该组织的管理员');
      }
      if ((await this.countOf(orgId, tx)) >= MAX_ADMINS) {
        throw UserError.invalid('ADMIN_LIMIT', `该组织已有 ${MAX_ADMINS} 位管理员（每个团组织最多两位），无法再注册。请联系现任管理员或上级组织`);
      }
      return Admin.create({ orgId, personId }, { transaction: tx });
    }, t);
  }
}
