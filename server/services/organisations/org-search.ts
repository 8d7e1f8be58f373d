import { Op, WhereOptions } from 'sequelize';
import { Organisation, OrgKind } from '../../../models/Organisation';
import { whereContains } from '../../lib/like';
import { normaliseOrgName } from './org-names';

/** Options of {@link searchOrgs}. */
export interface WithinSearch {
  /** Only organisations of this kind. */
  kind?: OrgKind;
  limit?: number;
}

/**
 * Name search for pickers: full or short name containing every word typed (words split
 * before normalising, which drops spaces), within the subtrees of `roots` when given.
 */
export async function searchOrgs(query: string, opts: WithinSearch & { roots?: Organisation[] } = {}): Promise<Organisation[]> {
  const words = query
    .split(/[\s\u3000]+/)
    .map(normaliseOrgName)
    .filter(Boolean);
  if (!words.length) return [];
  const sequelize = Organisation.sequelize!;
  const where: WhereOptions = {
    [Op.and]: [
      ...(opts.roots ? [{ [Op.or]: opts.roots.map((r) => ({ path: { [Op.startsWith]: r.path } })) }] : []),
      ...words.map((w) => ({ [Op.or]: [whereContains(sequelize, 'name_key', w), whereContains(sequelize, 'short_name', w)] })),
    ],
    ...(opts.kind ? { kind: opts.kind } : {}),
  };
  return Organisation.findAll({
    where,
    order: [
      ['depth', 'ASC'],
      ['id', 'ASC'],
    ],
    limit: opts.limit ?? 8,
  });
}

/**
 * Name search restricted to the subtrees of `roots` (an admin's organisations and those
 * below): full or short name containing every word typed. Without roots nothing matches,
 * so a caller that forgot to pass them never leaks the whole tree.
 * @example await searchOrgsWithin(await admins.orgsOf(id), '一中 支部', { kind: 'branch' })
 */
export async function searchOrgsWithin(roots: Organisation[], query: string, opts: WithinSearch = {}): Promise<Organisation[]> {
  return roots.length ? searchOrgs(query, { ...opts, roots }) : [];
}
