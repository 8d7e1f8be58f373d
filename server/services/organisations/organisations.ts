import crypto from 'node:crypto';
import { Op, Transaction } from 'sequelize';
import { Organisation, OrgKind } from '../../../models/Organisation';
import { UserError } from '../../errors';
import type { ServiceDeps } from '../deps';
import { normaliseOrgName } from './org-names';
import { searchOrgs } from './org-search';

const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** Labels of the kinds (组织类别, R10). */
export const KIND_LABELS: Record<OrgKind, string> = {
  leading_body: '团的领导机关',
  committee: '团委',
  working_committee: '团工委',
  general_branch: '团总支',
  branch: '团支部',
};

/** A random 8-character admin registration code (R6), digits and letters, case-sensitive. */
export function generateAdminCode(): string {
  const bytes = crypto.randomBytes(8);
  let code = '';
  for (const b of bytes) code += CODE_CHARS[b % CODE_CHARS.length];
  // R6 says digits and letters: make sure both are there.
  return /\d/.test(code) && /[A-Za-z]/.test(code) ? code : generateAdminCode();
}

export interface NewOrganisation {
  parentId: number | null;
  fullName: string;
  shortName: string;
  kind: OrgKind;
  industry?: string | null;
  isSchool?: boolean;
  locked?: boolean;
  adminCode?: string;
}

/** The organisation tree: creation, lookup by id and full name, subtrees and ancestry. */
export class Organisations {
  constructor(private readonly deps: ServiceDeps) {}

  async create(input: NewOrganisation, t?: Transaction): Promise<Organisation> {
    return this.deps.db.transaction(async (tx) => {
      const parent = input.parentId ? await Organisation.findByPk(input.parentId, { transaction: tx }) : null;
      if (input.parentId && !parent) throw UserError.invalid('ORG_NOT_FOUND', '上级组织不存在');
      const nameKey = normaliseOrgName(input.fullName);
      if (await Organisation.findOne({ where: { nameKey }, transaction: tx })) {
        throw UserError.invalid('ORG_NAME_TAKEN', `组织全称“${input.fullName}”已被使用，请换一个全称`);
      }
      const org = await Organisation.create(
        {
          parentId: parent?.id ?? null,
          fullName: input.fullName.trim(),
          nameKey,
          shortName: input.shortName.trim(),
          kind: input.kind,
          industry: input.industry ?? null,
          isSchool: input.isSchool ?? false,
          schoolCode: null,
          adminCode: input.adminCode ?? generateAdminCode(),
          locked: input.locked ?? false,
        },
        { transaction: tx },
      );
      org.path = `${parent?.path ?? '/'}${org.id}/`;
      org.depth = (parent?.depth ?? -1) + 1;
      await org.save({ transaction: tx });
      return org;
    }, t);
  }

  get(id: number, t?: Transaction): Promise<Organisation | null> {
    return Organisation.findByPk(id, { transaction: t });
  }

  async require(id: number, t?: Transaction): Promise<Organisation> {
    const org = await this.get(id, t);
    if (!org) throw UserError.invalid('ORG_NOT_FOUND', '组织不存在');
    return org;
  }

  /** R11: by full name, ignoring bracket width and spaces. */
  findByFullName(name: string, t?: Transaction): Promise<Organisation | null> {
    return Organisation.findOne({ where: { nameKey: normaliseOrgName(name) }, transaction: t });
  }

  /** True when `orgId` is `ancestorId` or below it. */
  async isWithin(ancestorId: number, orgId: number, t?: Transaction): Promise<boolean> {
    const [ancestor, org] = await Promise.all([this.get(ancestorId, t), this.get(orgId, t)]);
    return !!ancestor && !!org && org.path.startsWith(ancestor.path);
  }

  /** The organisation and everything below it. */
  subtree(root: Organisation, t?: Transaction): Promise<Organisation[]> {
    return Organisation.findAll({ where: { path: { [Op.startsWith]: root.path } }, order: [['path', 'ASC']], transaction: t });
  }

  /** Ids of the organisation and its ancestors, root first. */
  ancestorIds(org: Organisation): number[] {
    return org.path.split('/').filter(Boolean).map(Number);
  }

  /** Name search for pickers: full or short name containing every word typed. */
  search(query: string, opts: { kind?: OrgKind; limit?: number } = {}): Promise<Organisation[]> {
    return searchOrgs(query, opts);
  }

  /** A readable location: `宁夏回族自治区团委 › 银川市团委 › …` (short names). */
  async breadcrumb(org: Organisation): Promise<string> {
    const ids = this.ancestorIds(org);
    const rows = await Organisation.findAll({ where: { id: ids } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)?.shortName ?? '?').join(' › ');
  }
}
