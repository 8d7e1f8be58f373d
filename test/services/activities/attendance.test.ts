import { attendanceMarkOf, attendanceOf } from '../../../server/services/activities/attendance';
import { isSigninOver, signinWindow } from '../../../server/services/activities/signin';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const MINUTE = 60_000;
let tag = 0;

/** A league day two hours ahead (sign-in closes 30 minutes after its start, an hour before its end), two people picked, the first signed in. */
async function world() {
  const tree = await buildTree(sys, `勤${++tag}`);
  const admin = await makeAdmin(sys, tree.branchA.id, '组织者');
  const start = new Date(sys.clock.now.getTime() + 120 * MINUTE);
  const activity = await sys.services.activities.create(admin.person.id, {
    orgId: tree.branchA.id,
    kind: 'league_day',
    title: `考勤${tag}`,
    startsAt: start,
    endsAt: new Date(start.getTime() + 90 * MINUTE),
  });
  const [came, away] = await Promise.all(['到场甲', '未到乙'].map((name) => buildPerson(sys, { name, branchId: tree.branchA.id })));
  await sys.services.activityParticipants.add(admin.person.id, activity.id, [came.person.id, away.person.id]);
  sys.clock.now = start;
  expect((await sys.services.signin.signIn(came.person.id, activity)).kind).toBe('signed');
  /** The attendance as the organiser's list and sheet read it, at the clock's instant. */
  const attendance = async () => {
    const { participants } = await sys.services.activityParticipants.list(admin.person.id, activity.id);
    return attendanceOf(activity, participants, sys.services.deps.now());
  };
  return { admin, activity, came, away, attendance, closesAt: signinWindow(activity).closesAt };
}

afterEach(() => sys.clock.thaw());

describe('attendance marks (R19)', () => {
  it('R19 who did not sign in is waited for up to the instant sign-in closes, and absent from the millisecond after, before the activity ends', async () => {
    const w = await world();
    expect(w.closesAt.getTime()).toBeLessThan(w.activity.endsAt.getTime());
    const at = async (ms: number) => {
      sys.clock.freeze(new Date(w.closesAt.getTime() + ms));
      const a = await w.attendance();
      const mark = (name: string) => a.rows.find((r) => r.name === name)!.mark;
      return { over: a.over, came: mark('到场甲'), away: mark('未到乙'), counts: a.counts };
    };
    expect(await at(-1)).toMatchObject({ over: false, came: 'signed', away: 'waiting', counts: { signed: 1, waiting: 1, absent: 0 } });
    expect(await at(0)).toMatchObject({ over: false, came: 'signed', away: 'waiting', counts: { signed: 1, waiting: 1, absent: 0 } });
    expect(await at(1)).toMatchObject({ over: true, came: 'signed', away: 'absent', counts: { signed: 1, waiting: 0, absent: 1 } });
    // The same mark, one participant at a time, as the member's own lists read it.
    expect(attendanceMarkOf(w.activity, { signedInAt: null }, new Date(w.closesAt.getTime() + 1))).toBe('absent');
    expect(attendanceMarkOf(w.activity, { signedInAt: null }, w.closesAt)).toBe('waiting');
  });

  it('R19 sign-in closed by hand makes absent at once; opened by hand keeps waiting, even after the end', async () => {
    const w = await world();
    sys.clock.freeze(new Date(w.activity.startsAt.getTime() + MINUTE));
    const closed = await sys.services.signin.setMode(w.admin.person.id, w.activity.id, 'closed');
    expect(isSigninOver(closed, sys.services.deps.now())).toBe(true);
    expect(attendanceMarkOf(closed, { signedInAt: null }, sys.services.deps.now())).toBe('absent');
    const opened = await sys.services.signin.setMode(w.admin.person.id, w.activity.id, 'open');
    const afterEnd = new Date(w.activity.endsAt.getTime() + MINUTE);
    expect(attendanceMarkOf(opened, { signedInAt: null }, afterEnd)).toBe('waiting');
    expect(attendanceMarkOf(opened, { signedInAt: w.activity.startsAt }, afterEnd)).toBe('signed');
  });
});
