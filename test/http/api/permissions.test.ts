import { createTestSystem, type TestSystem } from '../../helpers/system';
import { type Answer, ApiClient, buildWorld, pendingRegistration, startApi } from './helpers';

/**
 * The permission matrix of the web app API (R6's rule: an admin acts on its organisation and
 * those below): every route, as anonymous, a member, the admin of branch A, the admin of the
 * committee above it, and the admin of another subtree. The resources are branch A's.
 */
type Actor = 'anonymous' | 'member' | 'branch' | 'committee' | 'other';
const ACTORS: Actor[] = ['anonymous', 'member', 'branch', 'committee', 'other'];

let sys: TestSystem;
let api: { base: string; close(): Promise<void> };
let w: Awaited<ReturnType<typeof buildWorld>>;
const as = {} as Record<Actor, ApiClient>;
let signinCode = '';

beforeAll(async () => {
  sys = await createTestSystem();
  api = await startApi(sys);
  w = await buildWorld(sys, '权限');
  for (const a of ACTORS) as[a] = new ApiClient(api.base);
  await as.member.login(w.member.idNumber, w.member.password);
  await as.branch.login(w.branchAdmin.idNumber, w.branchAdmin.password);
  await as.committee.login(w.committeeAdmin.idNumber, w.committeeAdmin.password);
  await as.other.login(w.otherAdmin.idNumber, w.otherAdmin.password);
  const now = sys.clock.now;
  const room = await sys.services.activities.create(w.branchAdmin.person.id, {
    orgId: w.tree.branchA.id,
    kind: 'lesson',
    title: '权限团课',
    startsAt: new Date(now.getTime() + 60_000),
    endsAt: new Date(now.getTime() + 3_600_000),
  });
  await sys.services.activityParticipants.add(w.branchAdmin.person.id, room.id, [w.member.person.id]);
  signinCode = room.signinCode;
});
afterAll(async () => {
  await api.close();
  await sys.close();
});

const only = (allowed: Actor[], ok = 200, refused = 403): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, a === 'anonymous' ? 401 : allowed.includes(a) ? ok : refused])) as Record<Actor, number>;
const anyone = (ok = 200) => only(['member', 'branch', 'committee', 'other'], ok);
const ADMINS_OF_A: Actor[] = ['branch', 'committee'];

interface Case {
  route: string;
  call: (c: ApiClient) => Promise<Answer>;
  expect: Record<Actor, number>;
}

const cases: Case[] = [
  { route: 'GET /api/me', call: (c) => c.get('/api/me'), expect: anyone() },
  { route: 'GET /api/me/fees', call: (c) => c.get('/api/me/fees'), expect: anyone() },
  { route: 'GET /api/me/activities', call: (c) => c.get('/api/me/activities'), expect: anyone() },
  // Reached by everyone logged in; a wrong current password changes nothing.
  { route: 'POST /api/me/password', call: (c) => c.post('/api/me/password', { currentPassword: 'not-it', newPassword: 'Other2024x' }), expect: anyone(400) },
  {
    route: 'POST /api/activities/:id/response',
    call: (c) => c.post(`/api/activities/${w.activity.id}/response`, { answer: 'registered' }),
    expect: only(['member']),
  },
  // Only a participant signs in; the others are told they are not on the list (409).
  { route: 'POST /api/signin', call: (c) => c.post('/api/signin', { code: signinCode }), expect: only(['member'], 200, 409) },
  { route: 'GET /api/orgs/tree (own root)', call: (c) => c.get('/api/orgs/tree'), expect: only(['branch', 'committee', 'other']) },
  { route: 'GET /api/orgs/tree?root=branch A', call: (c) => c.get(`/api/orgs/tree?root=${w.tree.branchA.id}`), expect: only(ADMINS_OF_A) },
  { route: 'GET /api/orgs/tree?root=committee', call: (c) => c.get(`/api/orgs/tree?root=${w.tree.school.id}`), expect: only(['committee']) },
  ...(['all', 'incomplete', 'unverified', 'owing'] as const).map((filter) => ({
    route: `GET /api/orgs/:id/people?filter=${filter}`,
    call: (c: ApiClient) => c.get(`/api/orgs/${w.tree.branchA.id}/people?filter=${filter}`),
    expect: only(ADMINS_OF_A),
  })),
  { route: 'GET /api/orgs/:id/people (committee)', call: (c) => c.get(`/api/orgs/${w.tree.school.id}/people`), expect: only(['committee']) },
  // Every admin may search (within its own subtrees: see below); a member may not.
  { route: 'GET /api/orgs/search?q=', call: (c) => c.get(`/api/orgs/search?q=${encodeURIComponent('高一')}`), expect: only(['branch', 'committee', 'other']) },
  ...(['all', 'incomplete', 'unverified', 'owing'] as const).map((filter) => ({
    route: `GET /api/orgs/:id/people/export?filter=${filter}`,
    call: (c: ApiClient) => c.get(`/api/orgs/${w.tree.branchA.id}/people/export?filter=${filter}`),
    expect: only(ADMINS_OF_A),
  })),
  { route: 'GET /api/orgs/:id/people/export (committee)', call: (c) => c.get(`/api/orgs/${w.tree.school.id}/people/export`), expect: only(['committee']) },
  {
    route: 'POST /api/orgs/:id/people/export/ticket',
    call: (c) => c.post(`/api/orgs/${w.tree.branchA.id}/people/export/ticket?filter=incomplete`),
    expect: only(ADMINS_OF_A),
  },
  { route: 'GET /api/activities', call: (c) => c.get('/api/activities'), expect: anyone() },
  { route: 'GET /api/activities/:id/picker', call: (c) => c.get(`/api/activities/${w.activity.id}/picker`), expect: only(ADMINS_OF_A) },
  {
    route: 'GET /api/activities/:id/picker?q=',
    call: (c) => c.get(`/api/activities/${w.activity.id}/picker?q=${encodeURIComponent('吴')}`),
    expect: only(ADMINS_OF_A),
  },
  { route: 'GET /api/activities/:id/participants', call: (c) => c.get(`/api/activities/${w.activity.id}/participants`), expect: only(ADMINS_OF_A) },
  {
    route: 'POST /api/activities/:id/participants (people)',
    call: (c) => c.post(`/api/activities/${w.activity.id}/participants`, { personIds: [w.incomplete.person.id] }),
    expect: only(ADMINS_OF_A),
  },
  {
    route: 'POST /api/activities/:id/participants (全选)',
    call: (c) => c.post(`/api/activities/${w.activity.id}/participants`, { orgId: w.tree.branchA.id }),
    expect: only(ADMINS_OF_A),
  },
  {
    route: 'DELETE /api/activities/:id/participants/:personId',
    call: (c) => c.del(`/api/activities/${w.activity.id}/participants/${w.incomplete.person.id}`),
    expect: only(ADMINS_OF_A),
  },
  { route: 'GET /api/applications', call: (c) => c.get('/api/applications'), expect: only(['branch', 'committee', 'other']) },
  {
    route: 'POST /api/applications/:id/decision',
    call: async (c) => c.post(`/api/applications/${(await pendingRegistration(sys, w.tree.branchA.id)).id}/decision`, { from: 'submitted', to: 'approved' }),
    expect: only(ADMINS_OF_A),
  },
];

describe('permission matrix', () => {
  it.each(cases.map((c) => [c.route, c] as const))('%s', async (_route, c) => {
    const got: Record<string, number> = {};
    for (const actor of ACTORS) got[actor] = (await c.call(as[actor])).status;
    expect(got).toEqual(c.expect);
  });

  it('every refusal is in the one shape with a Chinese message; anonymous gets 401 UNAUTHENTICATED', async () => {
    const anon = await as.anonymous.get(`/api/orgs/${w.tree.branchA.id}/people`);
    expect(anon.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('请先登录') } });
    const refused = await as.other.get(`/api/orgs/${w.tree.branchA.id}/people`);
    expect(refused.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/[\u4e00-\u9fff]/) } });
  });

  it("what an admin lists stays in its subtree: another subtree's admin sees none of branch A's applications or activities", async () => {
    const app = await pendingRegistration(sys, w.tree.branchA.id);
    expect((await as.other.get('/api/applications')).body.items.map((a: any) => a.id)).not.toContain(app.id);
    expect((await as.committee.get('/api/applications')).body.items.map((a: any) => a.id)).toContain(app.id);
    expect((await as.other.get('/api/activities')).body.items).toEqual([]);
    expect((await as.member.get('/api/activities')).body.items).toEqual([]);
    const tree = await as.other.get('/api/orgs/tree');
    expect(tree.body.node.id).toBe(w.tree.other.id);
    expect(JSON.stringify(tree.body)).not.toContain(w.tree.branchA.fullName);
    expect((await as.other.get(`/api/orgs/search?q=${encodeURIComponent(w.tree.branchA.fullName)}`)).body.items).toEqual([]);
    expect((await as.branch.get(`/api/orgs/search?q=${encodeURIComponent(w.tree.school.shortName)}`)).body.items).toEqual([]); // above it
  });

  it('forbidden and missing answer the same: an id out of reach reads like one that does not exist', async () => {
    const missing = 987_654;
    const pairs: Array<[string, string, 'GET' | 'POST' | 'DELETE', unknown?]> = [
      [`/api/orgs/tree?root=${w.tree.branchA.id}`, `/api/orgs/tree?root=${missing}`, 'GET'],
      [`/api/orgs/${w.tree.branchA.id}/people`, `/api/orgs/${missing}/people`, 'GET'],
      [`/api/orgs/${w.tree.branchA.id}/people?filter=owing`, `/api/orgs/${missing}/people?filter=owing`, 'GET'],
      [`/api/orgs/${w.tree.branchA.id}/people/export`, `/api/orgs/${missing}/people/export`, 'GET'],
      [`/api/orgs/${w.tree.branchA.id}/people/export?filter=owing`, `/api/orgs/${missing}/people/export?filter=owing`, 'GET'],
      [`/api/activities/${w.activity.id}/picker`, `/api/activities/${missing}/picker`, 'GET'],
      [`/api/activities/${w.activity.id}/participants`, `/api/activities/${missing}/participants`, 'GET'],
      [`/api/activities/${w.activity.id}/participants`, `/api/activities/${missing}/participants`, 'POST', { orgId: w.tree.branchA.id }],
      [`/api/activities/${w.activity.id}/participants/${w.member.person.id}`, `/api/activities/${missing}/participants/${w.member.person.id}`, 'DELETE'],
      [`/api/activities/${w.activity.id}/response`, `/api/activities/${missing}/response`, 'POST', { answer: 'declined' }],
    ];
    const app = await pendingRegistration(sys, w.tree.branchA.id);
    pairs.push([`/api/applications/${app.id}/decision`, `/api/applications/${missing}/decision`, 'POST', { from: 'submitted', to: 'approved' }]);
    for (const actor of ['other', 'member'] as const) {
      for (const [real, none, method, body] of pairs) {
        if (actor === 'member' && real.endsWith('/response')) continue; // the member is on that list
        const a = await as[actor].request(method, real, body);
        const b = await as[actor].request(method, none, body);
        expect([actor, real, a.status, a.body]).toEqual([actor, real, b.status, b.body]);
        expect(a.status).toBe(403);
      }
    }
  });

  it("logout ends only the caller's session, for every kind of user; anonymous has nothing to end (200)", async () => {
    expect((await as.anonymous.post('/api/logout')).body).toEqual({ ok: true });
    for (const actor of ['member', 'branch', 'committee', 'other'] as const) {
      expect((await as[actor].post('/api/logout')).status).toBe(200);
      expect((await as[actor].get('/api/me')).status).toBe(401);
    }
    const fresh = new ApiClient(api.base);
    await fresh.login(w.member.idNumber, w.member.password);
    expect((await fresh.get('/api/me')).status).toBe(200);
  });
});
