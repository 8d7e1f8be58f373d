/** What the admin's tree, search and people routes take and send (routes.ts). */
import { z } from 'zod';
import { id, page } from '../ids';
import { count, dbId, instant, orgKind, orgName, orgRef, personRole, verificationState } from '../schema';

export const treeQuery = z.object({ root: id.optional(), page, childPage: page });
const listQuery = { filter: z.enum(['all', 'incomplete', 'unverified', 'owing']).default('all'), scope: z.enum(['own', 'subtree']).default('subtree') };
export const peopleQuery = z.object({ ...listQuery, page });
export const exportQuery = z.object(listQuery);
export const searchQuery = z.object({ q: z.string().trim().min(1).max(40) });

const paging = { total: count, page: count, pages: z.number().int().min(1) };

/** GET /api/orgs/search: organisations of the admin's subtrees, shallowest first. */
export const orgSearch = z.strictObject({ items: z.array(orgRef) });

/** An organisation directly below the node, over its own subtree (R17). */
export const treeChild = orgRef.extend({ total: count, complete: count, hasChildren: z.boolean() });

/** GET /api/orgs/tree: one node's entry progress (R17), a page of those below it, a page of the incomplete. */
export const treeView = z.strictObject({
  roots: z.array(orgRef),
  node: orgRef.extend({
    parentId: dbId.nullable(),
    total: count,
    complete: count,
    kinds: z.array(z.strictObject({ kind: orgKind, kindLabel: z.string(), complete: count, incomplete: count })),
  }),
  children: z.strictObject({ items: z.array(treeChild), ...paging }),
  incomplete: z.strictObject({
    rows: z.array(
      z.strictObject({
        id: dbId,
        fullName: z.string(),
        kind: orgKind,
        kindLabel: z.string(),
        reason: z.string(),
        count: z.strictObject({ people: count, incompleteMembers: count, incompleteCadres: count }),
      }),
    ),
    ...paging,
  }),
  at: instant,
});

/** A person of an organisation's list (masked ID number), with what they lack (R16) and their verification (R5). */
export const orgPersonRow = z.strictObject({
  id: dbId,
  name: z.string(),
  idMasked: z.string(),
  role: personRole,
  branchName: z.string().nullable(),
  verificationState,
  verificationReason: z.string().nullable(),
  verificationLabel: z.string(),
  missing: z.array(z.string()),
});

/** A member who owes fees (R20), the year so far. */
export const owingRow = z.strictObject({
  id: dbId,
  name: z.string(),
  idMasked: z.string(),
  branchName: z.string(),
  owedFen: z.number().int().nullable(),
  owedMonths: z.array(z.string().regex(/^\d{4}-\d{2}$/)),
  dueFen: z.number().int().nullable(),
  paidFen: z.number().int(),
});

/** GET /api/orgs/:id/people: a page of people, or (filter=owing) of members who owe fees. */
export const peoplePage = z.union([
  // totalCapped: more people than the total says (it stops at a cap: shown as “10000+”).
  z.strictObject({ org: orgName, filter: z.enum(['all', 'incomplete', 'unverified']), items: z.array(orgPersonRow), ...paging, totalCapped: z.boolean() }),
  z.strictObject({ org: orgName, filter: z.literal('owing'), items: z.array(owingRow), ...paging }),
]);

/** POST /api/orgs/:id/people/export/ticket: the export's address with a download ticket. */
export const exportTicket = z.strictObject({ url: z.string().startsWith('/api/') });

export type OrgSearch = z.infer<typeof orgSearch>;
export type TreeChild = z.infer<typeof treeChild>;
export type TreeView = z.infer<typeof treeView>;
export type OrgPersonRow = z.infer<typeof orgPersonRow>;
export type OwingRow = z.infer<typeof owingRow>;
/** One row of either list. */
export type PersonRow = OrgPersonRow | OwingRow;
export type PeoplePage = z.infer<typeof peoplePage>;
export type ExportTicket = z.infer<typeof exportTicket>;
