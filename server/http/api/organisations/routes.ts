import Router from '@koa/router';
import { ForbiddenError, UserError } from '../../../errors';
import { searchOrgsWithin } from '../../../services/organisations/org-search';
import { KIND_LABELS } from '../../../services/organisations/organisations';
import { XLSX_MIME } from '../../../lib/spreadsheet-mime';
import type { ApiContext } from '../context';
import { TICKET_PARAM, withoutTicket } from '../download-tickets';
import { id } from '../ids';
import { orgView, VERIFICATION_LABELS } from '../present';
import { requireSession, sessionOf } from '../accounts/session';
import { parse } from '../validate';
import { send } from '../send';
import { exportQuery, exportTicket, orgSearch, peoplePage, peopleQuery, searchQuery, treeQuery, treeView } from './schema';

/** Organisations directly below a node, per page of the tree. */
export const TREE_CHILDREN_PAGE = 50;
/** People per page of an organisation's list. */
export const PEOPLE_PAGE_SIZE = 20;

/** Organisations a search answers at most. */
export const ORG_SEARCH_LIMIT = 20;

const NOT_ADMIN = () => new ForbiddenError('只有组织管理员可以查看组织和人员。');
/** One answer for an organisation out of reach and one that does not exist. */
const OUT_OF_REACH = () => new ForbiddenError('找不到这个组织，或它不在您管理的范围内。');
const OWING_IS_SUBTREE = () => UserError.invalid('BAD_REQUEST', '欠费名单按组织及其下级组织统计，请去掉 scope=own');

/** The people routes' checks: an admin, and the organisation in one of its subtrees (R6). */
async function requireReach(api: ApiContext, actor: number, orgId: number): Promise<void> {
  if (!(await api.services.admins.isAdmin(actor))) throw NOT_ADMIN();
  if (!(await api.services.admins.canManage(actor, orgId))) throw OUT_OF_REACH();
}

/** The admin's tree with entry progress per node (R17), a name search in it, and the people of a node (R16, R5, R20), also as a spreadsheet. */
export function orgRoutes(router: Router, api: ApiContext): void {
  const { services } = api;
  const { orgPeople } = services;

  // Within the admin's subtrees only; shallowest first.
  router.get('/api/orgs/search', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    const { q } = parse(searchQuery, ctx.query);
    const roots = await services.admins.orgsOf(actor);
    if (!roots.length) throw NOT_ADMIN();
    send(ctx, orgSearch, { items: (await searchOrgsWithin(roots, q, { limit: ORG_SEARCH_LIMIT })).map(orgView) });
  });

  // Lazy by parent: one node, the organisations directly below it (each over its own subtree),
  // and a page of the subtree's incomplete organisations with why.
  router.get('/api/orgs/tree', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    const q = parse(treeQuery, ctx.query);
    const roots = await services.entryProgress.rootsOf(actor);
    if (!roots.length) throw NOT_ADMIN();
    const view = await services.entryProgress.view(actor, q.root ?? roots[0].id, q.page);
    const org = (await services.organisations.get(view.org.id))!;
    const parentId = org.parentId !== null && (await services.admins.canManage(actor, org.parentId)) ? org.parentId : null;
    const childPages = Math.max(1, Math.ceil(view.children.length / TREE_CHILDREN_PAGE));
    const childPage = Math.min(q.childPage, childPages - 1);
    send(ctx, treeView, {
      roots: roots.map(orgView),
      node: {
        ...orgView(view.org),
        parentId,
        total: view.total,
        complete: view.complete,
        kinds: view.kinds.map((k) => ({ ...k, kindLabel: KIND_LABELS[k.kind] })),
      },
      children: {
        items: view.children.slice(childPage * TREE_CHILDREN_PAGE, (childPage + 1) * TREE_CHILDREN_PAGE).map((c) => ({
          ...orgView(c),
          total: c.total,
          complete: c.complete,
          hasChildren: c.total > 1,
        })),
        total: view.children.length,
        page: childPage,
        pages: childPages,
      },
      incomplete: {
        ...view.incomplete,
        rows: view.incomplete.rows.map((r) => ({
          id: r.id,
          fullName: r.fullName,
          kind: r.kind,
          kindLabel: KIND_LABELS[r.kind],
          reason: r.reason,
          count: r.count,
        })),
      },
      at: view.at.toISOString(),
    });
  });

  // Masked ID numbers only. `own`: the people entry progress counts for the organisation itself.
  router.get('/api/orgs/:id/people', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    const orgId = parse(id, ctx.params.id);
    const q = parse(peopleQuery, ctx.query);
    await requireReach(api, actor, orgId);
    if (q.filter === 'owing') {
      if (q.scope === 'own') throw OWING_IS_SUBTREE();
      const owing = await services.fees.reports.owingPage(actor, orgId, q.page);
      send(ctx, peoplePage, {
        org: { id: owing.org.id, fullName: owing.org.fullName },
        filter: q.filter,
        total: owing.total,
        page: owing.page,
        pages: owing.pages,
        items: owing.items.map(({ payer, statement }) => ({
          id: payer.id,
          name: payer.name,
          idMasked: payer.idMasked,
          branchName: payer.branchName,
          owedFen: statement.owedFen,
          owedMonths: statement.owedMonths,
          dueFen: statement.dueFen,
          paidFen: statement.paidFen,
        })),
      });
      return;
    }
    const list = await orgPeople.list(actor, orgId, { filter: q.filter, scope: q.scope, page: q.page, pageSize: PEOPLE_PAGE_SIZE });
    send(ctx, peoplePage, { ...list, filter: q.filter, items: list.items.map((p) => ({ ...p, verificationLabel: VERIFICATION_LABELS[p.verificationState] })) });
  });

  // Every page of the list the same filter shows, as an .xlsx download (ID numbers masked).
  router.get('/api/orgs/:id/people/export', requireSession(), async (ctx) => {
    const actor = sessionOf(ctx).person.id;
    const orgId = parse(id, ctx.params.id);
    const q = parse(exportQuery, ctx.query);
    await requireReach(api, actor, orgId);
    if (q.filter === 'owing' && q.scope === 'own') throw OWING_IS_SUBTREE();
    const sheet = await orgPeople.exportSheet(actor, orgId, q);
    ctx.attachment(sheet.name, { fallback: sheet.ascii });
    ctx.type = XLSX_MIME;
    ctx.body = sheet.data;
  });

  // The same export as a link Telegram can fetch without the cookie (the Mini App's download), after the same checks.
  router.post('/api/orgs/:id/people/export/ticket', requireSession(), async (ctx) => {
    const session = sessionOf(ctx);
    const orgId = parse(id, ctx.params.id);
    const q = parse(exportQuery, ctx.query);
    await requireReach(api, session.person.id, orgId);
    if (q.filter === 'owing' && q.scope === 'own') throw OWING_IS_SUBTREE();
    const address = withoutTicket(`/api/orgs/${orgId}/people/export`, new URLSearchParams({ filter: q.filter, scope: q.scope }).toString());
    const ticket = api.tickets.issue(session.tokenHash, address);
    send(ctx, exportTicket, { url: `${address}&${TICKET_PARAM}=${encodeURIComponent(ticket)}` });
  });
}
