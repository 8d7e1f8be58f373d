import { AuditLog, Person } from '../../../models';
import { reverifyIdentitiesJob } from '../../../server/jobs/reverify-identities';
import { EDITED_REASON, OfflineVerifier, Verifier, VerifyInput, VerifyResult } from '../../../server/services/accounts/identity';
import { buildOrg, buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());
afterEach(() => sys.services.identity.useVerifier(new OfflineVerifier(() => sys.clock.now)));

const reload = (id: number) => Person.findByPk(id) as Promise<Person>;

/** A verifier standing in for the national check: answers from a script, per name. */
class ScriptedVerifier implements Verifier {
  calls: VerifyInput[] = [];
  private readonly perName = new Map<string, number>();
  constructor(private readonly answer: (input: VerifyInput, call: number) => VerifyResult) {}
  async verify(input: VerifyInput): Promise<VerifyResult> {
    this.calls.push(input);
    this.perName.set(input.name, (this.perName.get(input.name) ?? 0) + 1);
    return this.answer(input, this.perName.get(input.name)!);
  }
}

describe('identity verification (R5)', () => {
  it('R5 the offline verifier checks R1 and a name of 2-20 CJK characters or ·', async () => {
    const v = new OfflineVerifier(() => sys.clock.now);
    const id = makeIdNumber('19990101');
    expect(await v.verify({ name: '王小明', idNumber: id })).toEqual({ state: 'verified' });
    expect(await v.verify({ name: '阿依古丽·买买提', idNumber: id })).toEqual({ state: 'verified' });
    const latin = await v.verify({ name: 'Tom', idNumber: id });
    expect(latin).toMatchObject({ state: 'failed', retryable: false });
    expect(latin.state === 'failed' && latin.reason).toContain('姓名');
    expect((await v.verify({ name: '王', idNumber: id })).state).toBe('failed');
    expect((await v.verify({ name: '王'.repeat(21), idNumber: id })).state).toBe('failed');
    expect((await v.verify({ name: '·王明', idNumber: id })).state).toBe('failed');
    const badCheck = await v.verify({ name: '王小明', idNumber: id.slice(0, 17) + (id[17] === '0' ? '1' : '0') });
    expect(badCheck).toMatchObject({ state: 'failed', retryable: false });
    expect(badCheck.state === 'failed' && badCheck.reason).toContain('校验位');
  });

  it('R5 new accounts start pending; verifyPerson stores verified, or failed with its reason', async () => {
    const { person } = await buildPerson(sys, { name: '李华' });
    expect(person.verificationState).toBe('pending');
    expect(await sys.services.identity.verifyPerson(person.id)).toBe('verified');
    const fresh = await reload(person.id);
    expect(fresh.verificationState).toBe('verified');
    expect(fresh.verificationReason).toBeNull();
    expect(fresh.verifiedAt).not.toBeNull();
    const { person: odd } = await buildPerson(sys, { name: 'Li Hua' }); // accounts.create only requires a name
    expect(await sys.services.identity.verifyPerson(odd.id)).toBe('failed');
    expect((await reload(odd.id)).verificationReason).toContain('姓名');
  });

  it('R5 brackets in the full name of the branch never cause a failure', async () => {
    const full = await buildOrg(sys, { kind: 'branch', fullName: '共青团宁夏某中学高一（3）班支部委员会' });
    const half = await buildOrg(sys, { kind: 'branch', fullName: '共青团宁夏某中学高一(4)班【团】支部委员会' });
    const a = await buildPerson(sys, { name: '马明', branchId: full.id });
    const b = await buildPerson(sys, { name: '马亮', branchId: half.id });
    await sys.services.identity.reverifyPending(1000);
    expect((await reload(a.person.id)).verificationState).toBe('verified');
    expect((await reload(b.person.id)).verificationState).toBe('verified');
  });

  it('R5 editing the name resets to pending with a reason and keeps the same row', async () => {
    const { person } = await buildPerson(sys, { name: '赵敏' });
    await sys.services.identity.verifyPerson(person.id);
    const edited = await sys.services.identity.editIdentity(person.id, person.id, { name: '赵 敏敏' });
    expect(edited.id).toBe(person.id);
    const fresh = await reload(person.id);
    expect(fresh.name).toBe('赵敏敏');
    expect(fresh.verificationState).toBe('pending');
    expect(fresh.verificationReason).toBe(EDITED_REASON);
    expect(fresh.verifiedAt).toBeNull();
    expect(await Person.count({ where: { name: '赵敏敏' } })).toBe(1);
    await expect(sys.services.identity.editIdentity(person.id, person.id, { name: '赵敏敏' })).rejects.toThrow('无需修改');
    await expect(sys.services.identity.editIdentity(person.id, person.id, { name: 'Zhao' })).rejects.toThrow('姓名');
  });

  it('R5 R1 editing the ID number re-encrypts and re-hashes it on the same row; birth date and login follow', async () => {
    const oldId = makeIdNumber('20010203');
    const { person } = await buildPerson(sys, { idNumber: oldId, name: '钱进', password: 'Secret123' });
    await sys.services.identity.verifyPerson(person.id);
    const newId = makeIdNumber('20020304');
    const before = await reload(person.id);
    await sys.services.identity.editIdentity(person.id, person.id, { idNumber: newId.toLowerCase() });
    const fresh = await reload(person.id);
    expect(fresh.idHash).not.toBe(before.idHash);
    expect(fresh.idCipher).not.toBe(before.idCipher);
    expect(fresh.idMasked).toBe(`${newId.slice(0, 6)}********${newId.slice(-4)}`);
    expect(fresh.birthDate).toBe('2002-03-04');
    expect(fresh.verificationState).toBe('pending');
    expect((await sys.services.accounts.findByIdNumber(newId))?.id).toBe(person.id);
    expect(await sys.services.accounts.findByIdNumber(oldId)).toBeNull();
    expect((await sys.services.accounts.login(newId, 'Secret123', 'test:id-edit')).id).toBe(person.id);
    const audit = await AuditLog.findOne({ where: { action: 'person.identity.edit', targetId: String(person.id) }, order: [['id', 'DESC']] });
    expect(audit?.before).toContain(before.idMasked);
    expect(audit?.after).toContain(fresh.idMasked);
    expect(`${audit?.before}${audit?.after}`).not.toContain(newId);
  });

  it('R4 R5 an edit to the ID number of another account is refused and moves nothing', async () => {
    const a = await buildPerson(sys, { name: '孙甲' });
    const b = await buildPerson(sys, { name: '孙乙' });
    await expect(sys.services.identity.editIdentity(a.person.id, a.person.id, { idNumber: b.idNumber, name: '孙乙' })).rejects.toThrow('另一个账号');
    const freshA = await reload(a.person.id);
    expect(freshA.name).toBe('孙甲');
    expect((await sys.services.accounts.findByIdNumber(a.idNumber))?.id).toBe(a.person.id);
    expect((await sys.services.accounts.findByIdNumber(b.idNumber))?.id).toBe(b.person.id);
  });

  it('R5 an admin who manages the branch may edit (audited); others may not', async () => {
    const committee = await buildOrg(sys, { kind: 'committee' });
    const branch = await buildOrg(sys, { kind: 'branch', parentId: committee.id });
    const elsewhere = await buildOrg(sys, { kind: 'branch' });
    const admin = await buildPerson(sys, { name: '周管理' });
    const stranger = await buildPerson(sys, { name: '吴路人' });
    const otherAdmin = await buildPerson(sys, { name: '郑管理' });
    await sys.services.admins.add(committee.id, admin.person.id);
    await sys.services.admins.add(elsewhere.id, otherAdmin.person.id);
    const member = await buildPerson(sys, { name: '冯团员', branchId: branch.id });
    await sys.services.identity.editIdentity(admin.person.id, member.person.id, { name: '冯新名' });
    const audit = await AuditLog.findOne({ where: { action: 'person.identity.edit', targetId: String(member.person.id) } });
    expect(audit?.actorPersonId).toBe(admin.person.id);
    expect(audit?.orgId).toBe(branch.id);
    for (const actor of [stranger.person.id, otherAdmin.person.id]) {
      await expect(sys.services.identity.editIdentity(actor, member.person.id, { name: '冯坏人' })).rejects.toThrow('只能修改本人的资料');
    }
    expect((await reload(member.person.id)).name).toBe('冯新名');
  });

  it('R5 the scheduled job re-verifies pending and failed-retryable records in batches, not failed-final ones', async () => {
    await sys.services.identity.reverifyPending(10_000); // settle the records of earlier tests
    // The national check has not confirmed 陈一 yet on the first call; 陈二 never matches.
    const national = new ScriptedVerifier((input, call) => {
      if (input.name === '陈二') return { state: 'failed', reason: '姓名与身份证号码不一致', retryable: false };
      if (input.name === '陈一' && call === 1) return { state: 'failed', reason: '公安部身份核验尚未确认，稍后统一再次认证', retryable: true };
      return { state: 'verified' };
    });
    sys.services.identity.useVerifier(national);
    const one = await buildPerson(sys, { name: '陈一' });
    const two = await buildPerson(sys, { name: '陈二' });
    const more = [];
    for (let i = 0; i < 5; i++) more.push(await buildPerson(sys, { name: `陈多${'一二三四五'[i]}` }));

    const first = await sys.services.identity.reverifyPending(100, 2);
    expect(first).toEqual({ checked: 7, verified: 5, failed: 2, unchanged: 0 });
    expect(await reload(one.person.id)).toMatchObject({ verificationState: 'failed', verificationRetryable: true });
    expect(await reload(two.person.id)).toMatchObject({
      verificationState: 'failed',
      verificationRetryable: false,
      verificationReason: '姓名与身份证号码不一致',
    });

    national.calls = [];
    await reverifyIdentitiesJob.run(sys, { owner: 'test', signal: new AbortController().signal, takenOverFrom: null });
    expect(national.calls.map((c) => c.name)).toEqual(['陈一']);
    expect((await reload(one.person.id)).verificationState).toBe('verified');
    expect(await sys.services.identity.reverifyPending(100)).toEqual({ checked: 0, verified: 0, failed: 0, unchanged: 0 });
  });

  it('R5 a limit caps one run; an answer for a record edited meanwhile is dropped', async () => {
    await sys.services.identity.reverifyPending(10_000);
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await buildPerson(sys, { name: `蒋${'甲乙丙'[i]}` }));
    expect((await sys.services.identity.reverifyPending(2, 1)).checked).toBe(2);
    expect((await reload(people[2].person.id)).verificationState).toBe('pending');
    // The person edits their name while the (slow, remote) check of the old name runs.
    const target = people[2].person.id;
    sys.services.identity.useVerifier({
      verify: async () => {
        await sys.services.identity.editIdentity(target, target, { name: '蒋新' });
        return { state: 'verified' };
      },
    });
    expect(await sys.services.identity.verifyPerson(target)).toBe('unchanged');
    expect(await reload(target)).toMatchObject({ name: '蒋新', verificationState: 'pending', verificationReason: EDITED_REASON });
  });
});
