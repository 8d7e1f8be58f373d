/**
 * Where an admin may import members to (R7, R11): the branches (团支部) in the subtrees of the
 * organisations they administer, matched by normalised full name, with "did you mean"
 * suggestions and a clear message for a name that exists outside their reach.
 */
import { Op } from 'sequelize';
import { Organisation, type OrgKind } from '../../../../models/Organisation';
import { ForbiddenError } from '../../../errors';
import type { Admins } from '../../organisations/admins';
import { KIND_LABELS } from '../../organisations/organisations';
import { createNameSuggester } from './rows/suggest';

/** The refusal for somebody who administers no organisation. */
export const NOT_AN_ADMIN_MESSAGE = '只有组织管理员可以导入团员名单。如果您是管理员，请先用管理员账号 /login 登录；否则请把名单交给所在组织的管理员导入。';

interface OrgEntry {
  id: number;
  fullName: string;
  kind: OrgKind;
}

/** Distinct names looked up outside the scope per file; past this, a name is just 组织不存在. */
const OUTSIDE_LOOKUPS = 500;

/** The admin's import scope for one file. */
export interface ImportScope {
  /** The organisations the admin acts from, highest first. */
  roots: Array<{ id: number; fullName: string }>;
  /** A branch within reach by normalised full name (validateRow's `branchByName`). */
  branchByName(nameKey: string): { id: number; fullName: string } | undefined;
  /** Full names of branches within reach close to a name as typed: a full name with slips, its last part, a short name (validateRow's `suggest`). */
  suggest(name: string): string[];
  /**
   * A better message than 组织不存在 for a name that names an organisation the row may not use:
   * one outside the admin's subtrees, or one that is not a branch. Undefined when the name
   * matches nothing at all.
   */
  explainUnusable(nameKey: string): Promise<string | undefined>;
}

/** The roots an admin acts from: `rootOrgId` (checked) or every organisation they administer, nested ones dropped. */
async function loadRoots(admins: Admins, actorPersonId: number, rootOrgId?: number): Promise<Organisation[]> {
  if (rootOrgId !== undefined) {
    await admins.requireManage(actorPersonId, rootOrgId);
    const root = await Organisation.findByPk(rootOrgId);
    return root ? [root] : [];
  }
  const orgs = await admins.orgsOf(actorPersonId);
  return orgs.filter((o) => !orgs.some((other) => other !== o && o.path.startsWith(other.path)));
}

function outsideMessage(fullName: string, roots: ImportScope['roots']): string {
  const names =
    roots
      .slice(0, 3)
      .map((r) => r.fullName)
      .join('、') + (roots.length > 3 ? ' 等' : '');
  return `“${fullName}”不在您管理的组织范围内，不能导入到该组织。您只能导入到 ${names} 及其下级的团支部；该组织的成员请由它的管理员导入`;
}

function notBranchMessage(org: OrgEntry): string {
  return `“${org.fullName}”是${KIND_LABELS[org.kind]}，不是团支部：团员、团干部的组织关系须在团支部，请填写所在团支部的全称`;
}

/**
 * Loads the scope of `actorPersonId`, or throws a ForbiddenError saying why they may not
 * import at all.
 * @example const scope = await loadImportScope(services.admins, actorId); scope.branchByName(key)
 */
export async function loadImportScope(admins: Admins, actorPersonId: number, rootOrgId?: number): Promise<ImportScope> {
  const rootOrgs = await loadRoots(admins, actorPersonId, rootOrgId);
  if (!rootOrgs.length) throw new ForbiddenError(NOT_AN_ADMIN_MESSAGE);
  const rows = (await Organisation.findAll({
    attributes: ['id', 'fullName', 'shortName', 'nameKey', 'kind'],
    where: { [Op.or]: rootOrgs.map((r) => ({ path: { [Op.startsWith]: r.path } })) },
    raw: true,
  })) as unknown as Array<OrgEntry & { nameKey: string; shortName: string | null }>;
  const inScope = new Map(rows.map((r) => [r.nameKey, { id: r.id, fullName: r.fullName, kind: r.kind }]));
  const branches = rows.filter((r) => r.kind === 'branch');
  // Suggestions come from the branches within reach only, by full name, a part of it or the short name.
  const suggest = createNameSuggester(branches.map((b) => ({ fullName: b.fullName, shortName: b.shortName })));
  const roots = rootOrgs.map((r) => ({ id: r.id, fullName: r.fullName }));
  const outside = new Map<string, OrgEntry | null>();

  return {
    roots,
    branchByName(nameKey) {
      const org = inScope.get(nameKey);
      return org?.kind === 'branch' ? { id: org.id, fullName: org.fullName } : undefined;
    },
    suggest,
    async explainUnusable(nameKey) {
      if (!nameKey) return undefined;
      const own = inScope.get(nameKey);
      if (own) return own.kind === 'branch' ? undefined : notBranchMessage(own);
      if (!outside.has(nameKey)) {
        if (outside.size >= OUTSIDE_LOOKUPS) return undefined;
        const found = await Organisation.findOne({ attributes: ['id', 'fullName', 'kind'], where: { nameKey }, raw: true });
        outside.set(nameKey, (found as unknown as OrgEntry | null) ?? null);
      }
      const org = outside.get(nameKey);
      return org ? outsideMessage(org.fullName, roots) : undefined;
    },
  };
}
