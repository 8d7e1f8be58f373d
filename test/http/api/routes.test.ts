import { enterPerson } from '../../helpers/fixtures/progress';
import { createTestSystem, type TestSystem } from '../../helpers/system';
import { ApiClient, buildWorld, pendingRegistration, startApi } from './helpers';

let sys: TestSystem;
let api: { base: string; close(): Promise<void> };
let w: Awaited<ReturnType<typeof buildWorld>>;
let member: ApiClient;
let committee: ApiClient;
let branch: ApiClient;

beforeAll(async () => {
  sys = await createTestSystem();
  api = await startApi(sys);
  w = await buildWorld(sys, '路由');
  member = new ApiClient(api.base);
  await member.login(w.member.idNumber, w.member.password);
  committee = new ApiClient(api.base);
  await committee.login(w.committeeAdmin.idNumber, w.committeeAdmin.password);
  branch = new ApiClient(api.base);
  await branch.login(w.branchAdmin.idNumber, w.branchAdmin.password);
});
afterAll(async () => {
  await api.close();
  await sys.close();
});

describe('member routes', () => {
  it('GET /api/me: name, masked ID number, verification state and completeness apart (R5, R16)', async () => {
    const res = await member.get('/api/me');
    expect(res.status).toBe(200);
    expect(res.body.person).toMatchObject({
      name: '吴团员',
      idMasked: expect.stringMatching(/^\d{6}\*+\d{3}[\dX]$/),
      branch: { id: w.tree.branchA.id },
      verification: { state: 'pending', label: '待认证' },
      completeness: { complete: true, missing: [] },
    });
    expect(JSON.stringify(res.body)).not.toContain(w.member.idNumber);
    expect(res.body.isAdmin).toBe(false);
    const incomplete = new ApiClient(api.base);
    await incomplete.login(w.incomplete.idNumber, 'Member2024x');
    const body = (await incomplete.get('/api/me')).body;
    expect(body.person.completeness).toEqual({ complete: false, missing: ['入团时间', '手机号码', '民族', '学历'] });
    expect((await committee.get('/api/me')).body).toMatchObject({
      isAdmin: true,
      person: { adminOf: [{ fullName: w.tree.school.fullName, kind: 'committee' }] },
    });
  });

  it('GET /api/me/fees: the statement of Fees.own (R20)', async () => {
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, w.member.person.id, { category: 'student' });
    const res = await member.get('/api/me/fees');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, branch: { id: w.tree.branchA.id }, statement: { year: expect.any(Number), owedMonths: expect.any(Array) } });
    expect(res.body.statement.current.dueFen).toBe(20);
    const admin = await committee.get('/api/me/fees'); // a cadre with no branch
    expect(admin.body).toMatchObject({ ok: false, reason: 'no-branch', message: expect.stringContaining('团支部') });
  });

  it('GET /api/me/activities and POST /api/activities/:id/response: 报名, then 不参加 (R19)', async () => {
    const before = await member.get('/api/me/activities');
    expect(before.body.upcoming.map((a: any) => a.id)).toEqual([w.activity.id]);
    expect(before.body.upcoming[0]).toMatchObject({
      title: w.activity.title,
      kindLabel: '团日活动',
      response: 'invited',
      signin: { open: false, reason: 'early' },
    });
    expect(JSON.stringify(before.body)).not.toContain(w.activity.signinCode);
    expect(JSON.stringify(before.body)).not.toContain(w.activity.signinToken);
    const res = await member.post(`/api/activities/${w.activity.id}/response`, { answer: 'registered' });
    expect(res.body).toMatchObject({ response: 'registered', activity: { id: w.activity.id } });
    expect((await member.get('/api/me/activities')).body.registered.map((a: any) => a.id)).toEqual([w.activity.id]);
    expect((await member.post(`/api/activities/${w.activity.id}/response`, { answer: 'declined' })).body.response).toBe('declined');
    // Answered 不参加: out of 待答复 (and its count), in its own list, where 报名 is still open.
    const after = (await member.get('/api/me/activities')).body;
    expect(after.upcoming.map((a: any) => a.id)).not.toContain(w.activity.id);
    expect(after.registered.map((a: any) => a.id)).not.toContain(w.activity.id);
    expect(after.declined.map((a: any) => a.id)).toEqual([w.activity.id]);
    expect((await member.post(`/api/activities/${w.activity.id}/response`, { answer: 'maybe' })).status).toBe(400);
  });

  it('POST /api/signin by code and by the QR link token, once (R19); a wrong code is 404', async () => {
    const now = sys.clock.now;
    const room = await sys.services.activities.create(w.branchAdmin.person.id, {
      orgId: w.tree.branchA.id,
      kind: 'lesson',
      title: '现场团课',
      startsAt: new Date(now.getTime() + 60_000),
      endsAt: new Date(now.getTime() + 3_600_000),
    });
    await sys.services.activityParticipants.add(w.branchAdmin.person.id, room.id, [w.member.person.id, w.incomplete.person.id]);
    const signed = await member.post('/api/signin', { code: room.signinCode });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ kind: 'signed', activity: { id: room.id }, message: expect.stringContaining('签到成功') });
    const again = await member.post('/api/signin', { token: room.signinToken });
    expect(again.body).toMatchObject({ kind: 'already', message: expect.stringContaining('您已签到') });
    const other = new ApiClient(api.base);
    await other.login(w.incomplete.idNumber, 'Member2024x');
    expect((await other.post('/api/signin', { token: room.signinToken })).body.kind).toBe('signed');
    const wrong = await other.post('/api/signin', { code: room.signinCode === '999999' ? '999998' : '999999' });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe('SIGNIN_UNKNOWN');
    expect((await member.post('/api/signin', { code: '1', token: 'abcdefgh' })).status).toBe(400);
    expect((await member.get('/api/me/activities')).body.attended.map((a: any) => a.id)).toContain(room.id);
  });
});

describe('admin routes', () => {
  it("GET /api/orgs/tree: the admin's root, its children each over its subtree, the incomplete ones with why (R17)", async () => {
    const res = await committee.get('/api/orgs/tree');
    expect(res.status).toBe(200);
    expect(res.body.roots).toEqual([expect.objectContaining({ id: w.tree.school.id, kindLabel: '团委' })]);
    expect(res.body.node).toMatchObject({ id: w.tree.school.id, parentId: null, total: 3, complete: 0 });
    expect(res.body.children.items.map((c: any) => c.id)).toEqual([w.tree.branchA.id, w.tree.branchB.id]);
    expect(res.body.children.items[0]).toMatchObject({ total: 1, complete: 0, hasChildren: false });
    const reasonA = res.body.incomplete.rows.find((r: any) => r.id === w.tree.branchA.id);
    expect(reasonA.reason).toMatch(/信息不完整|还差/);
    const down = await committee.get(`/api/orgs/tree?root=${w.tree.branchA.id}`);
    expect(down.body.node).toMatchObject({ id: w.tree.branchA.id, parentId: w.tree.school.id, total: 1 });
    expect((await committee.get('/api/orgs/tree?root=abc')).status).toBe(400);
  });

  it('GET /api/orgs/:id/people: all, incomplete (R16), unverified (R5), owing (R20), paged, IDs masked', async () => {
    const all = await branch.get(`/api/orgs/${w.tree.branchA.id}/people`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ org: { id: w.tree.branchA.id }, filter: 'all', page: 0, pages: 1 });
    expect(all.body.items.map((p: any) => p.name).sort()).toEqual(['吴团员', '郑缺项'].sort());
    expect(JSON.stringify(all.body)).not.toContain(w.member.idNumber);
    const incomplete = await branch.get(`/api/orgs/${w.tree.branchA.id}/people?filter=incomplete`);
    expect(incomplete.body.items).toEqual([expect.objectContaining({ name: '郑缺项', missing: ['入团时间', '手机号码', '民族', '学历'] })]);
    expect(await sys.services.identity.verifyPerson(w.member.person.id)).toBe('verified');
    const unverified = await committee.get(`/api/orgs/${w.tree.school.id}/people?filter=unverified`);
    expect(unverified.body.items.map((p: any) => p.name).sort()).toEqual(['王乙班', '郑缺项'].sort());
    expect(unverified.body.items[0]).toMatchObject({ verificationState: 'pending', verificationLabel: '待认证' });
    const own = await committee.get(`/api/orgs/${w.tree.school.id}/people?scope=own`);
    expect(own.body.total).toBe(0); // nobody holds a post in the committee itself
    await sys.services.fees.profiles.set(w.branchAdmin.person.id, w.member.person.id, { category: 'student' });
    const owing = await committee.get(`/api/orgs/${w.tree.school.id}/people?filter=owing`);
    expect(owing.status).toBe(200);
    // Most owed first; members whose category is not set follow, their amount unknown (as /fees lists them).
    expect(owing.body.items[0]).toMatchObject({ name: '吴团员', owedFen: expect.any(Number), owedMonths: expect.any(Array) });
    expect(owing.body.items.slice(1).map((p: any) => p.owedFen)).toEqual([null, null]);
    expect((await committee.get(`/api/orgs/${w.tree.school.id}/people?filter=owing&scope=own`)).status).toBe(400);
    expect((await committee.get(`/api/orgs/${w.tree.school.id}/people?filter=nobody`)).status).toBe(400);
  });

  it('paging of people: 20 a page', async () => {
    const org = w.tree.branchB.id;
    for (let i = 0; i < 21; i++) await enterPerson(sys, { branchId: org });
    const first = await committee.get(`/api/orgs/${org}/people`);
    expect(first.body).toMatchObject({ total: 22, pages: 2, page: 0 });
    expect(first.body.items).toHaveLength(20);
    const second = await committee.get(`/api/orgs/${org}/people?page=1`);
    expect(second.body.items).toHaveLength(2);
  });

  it('GET /api/activities, the picker, adding people and 全选, the list, and taking one off (R18)', async () => {
    const list = await branch.get('/api/activities');
    expect(list.body.items.map((a: any) => a.id)).toContain(w.activity.id);
    const picker = await committee.get(`/api/activities/${w.activity.id}/picker`);
    expect(picker.status).toBe(200);
    expect(picker.body).toMatchObject({ org: { id: w.tree.branchA.id }, parentId: null, picked: 1, max: 1000 });
    expect(picker.body.people.find((p: any) => p.id === w.member.person.id)).toMatchObject({ picked: true });
    const search = await committee.get(`/api/activities/${w.activity.id}/picker?q=${encodeURIComponent('郑')}`);
    expect(search.body.people.map((p: any) => p.name)).toEqual(['郑缺项']);
    const added = await committee.post(`/api/activities/${w.activity.id}/participants`, { personIds: [w.incomplete.person.id] });
    expect(added.body).toEqual({ added: 1, total: 2 });
    const all = await committee.post(`/api/activities/${w.activity.id}/participants`, { orgId: w.tree.branchA.id });
    expect(all.body).toMatchObject({ added: 0, total: 2, org: w.tree.branchA.fullName });
    const names = (await committee.get(`/api/activities/${w.activity.id}/participants`)).body.items.map((p: any) => p.name);
    expect(names.sort()).toEqual(['吴团员', '郑缺项'].sort());
    const removed = await committee.del(`/api/activities/${w.activity.id}/participants/${w.incomplete.person.id}`);
    expect(removed.body).toEqual({ total: 1 });
    expect((await committee.post(`/api/activities/${w.activity.id}/participants`, { personIds: [] })).status).toBe(400);
  });

  it("the 1,000 limit is the service's: 全选 over it is refused with the counts (R18)", async () => {
    const big = await sys.services.activities.create(w.committeeAdmin.person.id, {
      orgId: w.tree.school.id,
      kind: 'lesson',
      title: '大团课',
      startsAt: new Date(sys.clock.now.getTime() + 86_400_000),
      endsAt: new Date(sys.clock.now.getTime() + 90_000_000),
    });
    const ids: number[] = [];
    for (let i = 0; i < 1000; i++) ids.push((await enterPerson(sys, { branchId: w.tree.branchB.id })).id);
    const add = await committee.post(`/api/activities/${big.id}/participants`, { personIds: ids.slice(0, 999) });
    expect(add.body.total).toBe(999);
    const over = await committee.post(`/api/activities/${big.id}/participants`, { orgId: w.tree.school.id });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({ code: 'TOO_MANY_PARTICIPANTS', message: expect.stringContaining('最多 1000 人') });
    const extra = await enterPerson(sys, { branchId: w.tree.branchB.id });
    const two = await committee.post(`/api/activities/${big.id}/participants`, { personIds: [ids[999], extra.id] });
    expect(two.status).toBe(400);
    expect(two.body.error.code).toBe('TOO_MANY_PARTICIPANTS');
    expect((await committee.post(`/api/activities/${big.id}/participants`, { personIds: [ids[999]] })).body).toEqual({ added: 1, total: 1000 });
  }, 120_000);

  it('GET /api/applications and POST /api/applications/:id/decision (R8): approve once; a second press is 409', async () => {
    const app = await pendingRegistration(sys, w.tree.branchA.id);
    const list = await branch.get('/api/applications');
    expect(list.status).toBe(200);
    const item = list.body.items.find((a: any) => a.id === app.id);
    expect(item).toMatchObject({
      kindLabel: '团员团干部注册',
      stage: 'submitted',
      person: { name: '冯申请' },
      moves: [{ to: 'approved' }, { to: 'rejected' }],
    });
    const done = await branch.post(`/api/applications/${app.id}/decision`, { from: 'submitted', to: 'approved' });
    expect(done.status).toBe(200);
    expect(done.body.application).toMatchObject({ stage: 'approved', moves: [] });
    const twice = await committee.post(`/api/applications/${app.id}/decision`, { from: 'submitted', to: 'approved' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('APPLICATION_DECIDED');
    const rejected = await pendingRegistration(sys, w.tree.branchB.id);
    const reason = await committee.post(`/api/applications/${rejected.id}/decision`, { from: 'submitted', to: 'rejected', reason: '查无此人' });
    expect(reason.body.application).toMatchObject({ stage: 'rejected', reason: '查无此人' });
    expect((await committee.post(`/api/applications/${rejected.id}/decision`, { from: 'submitted', to: 'flying' })).status).toBe(400);
  });

  it('an unknown /api address is a 404 in the same shape', async () => {
    const res = await member.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: '没有这个地址' } });
  });
});
