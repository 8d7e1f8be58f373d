import type { Transaction } from 'sequelize';
import { Post } from '../../../models';
import type { Person } from '../../../models/Person';
import { ForbiddenError } from '../../errors';
import type { Admins } from '../organisations/admins';

/**
 * Who may edit a person's record: the person, or an admin who manages (R6 subtree rule) the
 * person's branch or an organisation where the person holds a post (cadres such as a
 * secretary named in R14 may have no branch). Throws a ForbiddenError that says why.
 */
export async function requirePersonEditRights(admins: Admins, actorPersonId: number, person: Person, t?: Transaction): Promise<void> {
  if (actorPersonId === person.id) return;
  const posts = await Post.findAll({ where: { personId: person.id }, attributes: ['orgId'], transaction: t });
  const orgIds = new Set<number>([...(person.branchId ? [person.branchId] : []), ...posts.map((p) => p.orgId)]);
  for (const orgId of orgIds) {
    if (await admins.canManage(actorPersonId, orgId, t)) return;
  }
  throw new ForbiddenError('只能修改本人的资料；他人的资料须由其所在组织或上级组织的管理员修改');
}
