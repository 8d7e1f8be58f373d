import type { Transaction } from 'sequelize';
import { Organisation, Person } from '../../../models';
import type { OrgKind } from '../../../models/Organisation';
import { UserError } from '../../errors';

/**
 * Whether an organisation may take a new kind where it stands in the tree (R10, R12): a school
 * is never a leading body, leading bodies sit under leading bodies, a branch has no children
 * and a branch holding members' membership stays a branch until they move.
 */
export async function checkKindFits(org: Organisation, kind: OrgKind, t: Transaction): Promise<void> {
  const children = await Organisation.findAll({ where: { parentId: org.id }, attributes: ['kind'], transaction: t });
  const parent = org.parentId ? await Organisation.findByPk(org.parentId, { transaction: t }) : null;
  if (kind === 'leading_body' && org.isSchool)
    throw UserError.invalid('KIND_SCHOOL_LEADING', '学校团组织不能是团的领导机关，请选择团委、团工委、团总支或团支部。');
  if (kind === 'leading_body' && parent && parent.kind !== 'leading_body') {
    throw UserError.invalid('KIND_NOT_FIT', '团的领导机关（团中央及省、市、县级团委）只能设在上级团的领导机关之下。');
  }
  if (kind !== 'leading_body' && children.some((c) => c.kind === 'leading_body')) {
    throw UserError.invalid('KIND_NOT_FIT', '本组织下设有团的领导机关，只能是团的领导机关。');
  }
  if (kind === 'branch' && children.length) throw UserError.invalid('KIND_NOT_FIT', `本组织下设 ${children.length} 个下级组织，团支部不能有下级组织。`);
  const members = org.kind === 'branch' ? await Person.count({ where: { branchId: org.id }, transaction: t }) : 0;
  if (members) throw UserError.invalid('KIND_NOT_FIT', `本团支部还有 ${members} 名成员的组织关系，改为其他类别前，请先把他们转到其他团支部。`);
}
