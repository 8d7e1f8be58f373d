/**
 * The chat and the web app say the same of a participant at every instant: waited for while
 * sign-in is open, absent (缺席) from the moment it is over, whether or not the activity has ended.
 */
import { signinWindow } from '../../../server/services/activities/signin';
import { TestChat } from '../../helpers/chat';
import { createTestSystem, type TestSystem } from '../../helpers/system';
import { ApiClient, buildWorld, startApi } from './helpers';

let sys: TestSystem;
let api: { base: string; close(): Promise<void> };
beforeAll(async () => {
  sys = await createTestSystem();
  api = await startApi(sys);
});
afterAll(async () => {
  await api.close();
  await sys.close();
});

const MINUTE = 60_000;

describe('absent in chat is absent in the web app (R19)', () => {
  it('R19 one millisecond before sign-in closes, and at that instant, both wait for the member; one millisecond after, both say absent, an hour before the activity ends', async () => {
    const w = await buildWorld(sys, '缺席');
    const start = new Date(sys.clock.now.getTime() + 120 * MINUTE);
    const activity = await sys.services.activities.create(w.branchAdmin.person.id, {
      orgId: w.tree.branchA.id,
      kind: 'lesson',
      title: '考勤团课',
      startsAt: start,
      endsAt: new Date(start.getTime() + 90 * MINUTE),
    });
    await sys.services.activityParticipants.add(w.branchAdmin.person.id, activity.id, [w.member.person.id]);
    const web = new ApiClient(api.base);
    await web.login(w.member.idNumber, w.member.password);
    const chat = new TestChat(sys);
    expect(await chat.login(w.member.idNumber, w.member.password)).toContain('登录成功');
    const organiser = new TestChat(sys);
    expect(await organiser.login(w.branchAdmin.idNumber, w.branchAdmin.password)).toContain('登录成功');
    const { closesAt } = signinWindow(activity);
    expect(closesAt.getTime()).toBeLessThan(activity.endsAt.getTime());

    /** What each side says of the member at `closesAt + ms`, the clock stopped there. */
    const at = async (ms: number) => {
      sys.clock.freeze(new Date(closesAt.getTime() + ms));
      const lists = (await web.get('/api/me/activities')).body as Record<string, Array<{ id: number }>>;
      const webSays = Object.keys(lists).filter((k) => lists[k].some((a) => a.id === activity.id));
      const mine = await chat.say('/my_activities');
      const memberSays = mine.includes('考勤团课 — ❌ 缺席') ? 'absent' : mine.includes('考勤团课（未答复）') ? 'waiting' : mine;
      const list = await organiser.press(`!av:l:${activity.id}`);
      const organiserSays = list.includes('缺席（1）：\n吴团员') ? 'absent' : list.includes('未签到（1）：\n吴团员') ? 'waiting' : list;
      return { webSays, memberSays, organiserSays };
    };
    try {
      expect(await at(-1)).toEqual({ webSays: ['upcoming'], memberSays: 'waiting', organiserSays: 'waiting' });
      expect(await at(0)).toEqual({ webSays: ['upcoming'], memberSays: 'waiting', organiserSays: 'waiting' });
      expect(await at(1)).toEqual({ webSays: ['absent'], memberSays: 'absent', organiserSays: 'absent' });
      // The activity itself still runs: absence follows sign-in, not the end.
      expect(sys.clock.now.getTime()).toBeLessThan(activity.endsAt.getTime());
    } finally {
      sys.clock.thaw();
    }
  });
});
