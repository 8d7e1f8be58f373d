import ExcelJS from 'exceljs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Reply } from '../../../flows/engine/types';
import { ActivityParticipant } from '../../../models';
import { signinCountersJob } from '../../../server/jobs/signin-counters';
import { Scheduler } from '../../../server/jobs/scheduler';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { TestChat } from '../../helpers/chat';
import { buildPerson } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys.close());

const MINUTE = 60_000;
let tag = 0;

/** A branch's league day two hours from now, its admin and three logged-in members, two of them picked. */
async function world() {
  const tree = await buildTree(sys, `签${++tag}`);
  const admin = await makeAdmin(sys, tree.branchA.id, '组织者');
  const adminChat = new TestChat(sys);
  await adminChat.login(admin.idNumber, admin.password);
  const start = new Date(sys.clock.now.getTime() + 120 * MINUTE);
  const activity = await sys.services.activities.create(admin.person.id, {
    orgId: tree.branchA.id,
    kind: 'league_day',
    title: `主题团日${tag}`,
    startsAt: start,
    endsAt: new Date(start.getTime() + 90 * MINUTE),
  });
  const people = await Promise.all(['参加甲', '参加乙', '未选丙'].map((name) => buildPerson(sys, { name, branchId: tree.branchA.id, password: 'Secret123' })));
  const chats = await Promise.all(
    people.map(async (p) => {
      const c = new TestChat(sys);
      await c.login(p.idNumber, 'Secret123');
      return c;
    }),
  );
  await sys.services.activityParticipants.add(admin.person.id, activity.id, [people[0].person.id, people[1].person.id]);
  const at = (minutesFromStart: number) => (sys.clock.now = new Date(start.getTime() + minutesFromStart * MINUTE));
  return { ...tree, admin, adminChat, activity, people, chats, at };
}

async function qrOf(reply: Reply | undefined): Promise<string | null> {
  expect(reply?.file?.mime).toBe('image/png');
  const png = PNG.sync.read(reply!.file!.data);
  expect(png.width).toBeGreaterThanOrEqual(1000); // big enough for a projector
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

describe('activity sign-in (活动签到, R19)', () => {
  it('R19 the window: early is told when it opens, in it signs in once (a second try says when), late is over', async () => {
    const w = await world();
    const [a] = w.chats;
    const code = w.activity.signinCode;
    w.at(-16);
    expect(await a.say(code)).toContain('签到尚未开始');
    w.at(-15);
    const first = await a.say(code);
    expect(first).toContain('签到成功');
    expect(await a.say(`签到 ${code}`)).toMatch(/您已签到（\d{4}年\d+月\d+日（周.）\d\d:\d\d）/);
    const row = (await ActivityParticipant.findOne({ where: { activityId: w.activity.id, personId: w.people[0].person.id } }))!;
    // The clock runs on between the steps: within a second of the window opening.
    expect(Math.abs(row.signedInAt!.getTime() - (w.activity.startsAt.getTime() - 15 * MINUTE))).toBeLessThan(1000);
    w.at(31);
    expect(await w.chats[1].say(code)).toContain('签到已结束');
  });

  it('R19 a wrong code, a non-participant, walk-ins when the organiser allows them, and too many wrong codes', async () => {
    const w = await world();
    w.at(0);
    const wrong = w.activity.signinCode === '000000' ? '000001' : '000000';
    expect(await w.chats[0].say(wrong)).toContain('签到码不正确');
    expect(await w.chats[2].say(w.activity.signinCode)).toContain('不在“');
    expect(await w.adminChat.press(`!av:w:${w.activity.id}`)).toContain('已允许');
    expect(await w.chats[2].say(w.activity.signinCode)).toContain('已按现场签到记录');
    const walkIn = await ActivityParticipant.findOne({ where: { activityId: w.activity.id, personId: w.people[2].person.id } });
    expect(walkIn).toMatchObject({ walkIn: true });
    // Walk-ins come from the activity's organisation only.
    const outsider = await buildPerson(sys, { name: '外人', branchId: w.otherBranch.id, password: 'Secret123' });
    const outChat = new TestChat(sys);
    await outChat.login(outsider.idNumber, 'Secret123');
    expect(await outChat.say(w.activity.signinCode)).toContain('不在“');

    const wrongs = Array.from({ length: 12 }, (_, i) => String(900000 + i))
      .filter((c) => c !== w.activity.signinCode)
      .slice(0, 10);
    for (const c of wrongs) expect(await w.chats[1].say(c)).toContain('签到码不正确');
    const held = await w.chats[1].say(w.activity.signinCode);
    expect(held).toContain('输错次数过多');
    sys.clock.advance(10 * MINUTE);
    expect(await w.chats[1].say(w.activity.signinCode)).toContain('签到成功');
  });

  it('R19 the organiser opens and closes sign-in by hand, and changes its window', async () => {
    const w = await world();
    w.at(-60);
    expect(await w.chats[0].say(w.activity.signinCode)).toContain('尚未开始');
    expect(await w.adminChat.press(`!av:o:${w.activity.id}`)).toContain('签到已开始');
    expect(await w.chats[0].say(w.activity.signinCode)).toContain('签到成功');
    expect(await w.adminChat.press(`!av:c:${w.activity.id}`)).toContain('签到已结束');
    expect(await w.chats[1].say(w.activity.signinCode)).toContain('签到已结束');
    await w.adminChat.press(`!av:a:${w.activity.id}`);
    await w.adminChat.say(`/activity_edit ${w.activity.id}`);
    await w.adminChat.press('edit:signin');
    expect(await w.adminChat.say('90 30')).toContain('签到时间已修改');
    expect(await w.chats[1].say(w.activity.signinCode)).toContain('签到成功');
  });

  it('R19 the sign-in panel gives the code, the deep link and the same link as a QR code that decodes back to it', async () => {
    const w = await world();
    w.at(-10);
    const replies = await w.adminChat.send({ type: 'choice', value: `!av:s:${w.activity.id}` });
    const link = `https://t.me/test_bot?start=signin_${w.activity.signinToken}`;
    expect(replies[0].text).toContain(`签到码：${w.activity.signinCode}`);
    expect(replies[0].text).toContain(link);
    expect(await qrOf(replies.find((r) => r.file))).toBe(link);
    // Opening the link is `/start signin_<token>`.
    expect(await w.chats[1].say(`/start signin_${w.activity.signinToken}`)).toContain('签到成功');
    expect(await w.chats[1].say(`/start signin_${w.activity.signinToken}`)).toContain('您已签到');
  });

  it('R19 someone not logged in who opens the link logs in first and is signed in right after', async () => {
    const w = await world();
    w.at(0);
    const fresh = new TestChat(sys);
    expect(await fresh.say(`/start signin_${w.activity.signinToken}`)).toContain('签到前请先登录');
    await fresh.say(w.people[1].idNumber);
    const done = await fresh.say('Secret123');
    expect(done).toContain('登录成功');
    expect(done).toContain('签到成功');
  });

  it("R19 attendance: after the window who signed in and when, who was absent; in chat, as a spreadsheet, and in each one's record", async () => {
    const w = await world();
    w.at(-5);
    await w.chats[0].press(`!act:r:${w.activity.id}`);
    await w.chats[0].say(w.activity.signinCode);
    w.at(40);
    const list = await w.adminChat.press(`!av:l:${w.activity.id}`);
    expect(list).toContain('应到 2 人，已签到 1 人，缺席 1 人');
    expect(list).toMatch(/已签到（1）：\n参加甲 \d\d:\d\d/);
    expect(list).toContain('缺席（1）：\n参加乙（未答复）');

    const [sheetReply] = await w.adminChat.send({ type: 'choice', value: `!av:x:${w.activity.id}` });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sheetReply.file!.data as never);
    const rows = wb.worksheets[0]
      .getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows[2][0]).toContain('应到 2 人，已签到 1 人，缺席 1 人');
    const people = rows.slice(4).map((r) => [r[1], r[4], r[5]]);
    expect(people).toEqual(
      expect.arrayContaining([
        ['参加甲', '已报名', '已签到'],
        ['参加乙', '未答复', '缺席'],
      ]),
    );
    expect(people).toHaveLength(2);
    expect(String(rows[4][2])).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);

    // Signed in: on record at once, as the web app lists it (attended).
    expect(await w.chats[0].say('/my_activities')).toContain(`主题团日${tag} — ✅ 已签到`);
    w.at(100);
    expect(await w.chats[0].say('/my_activities')).toContain(`主题团日${tag} — ✅ 已签到`);
    expect(await w.chats[1].say('/my_activities')).toContain(`主题团日${tag} — ❌ 缺席`);
  });

  it("R19 the organiser's message shows live counts, edited in place, once per run however many sign in", async () => {
    const w = await world();
    w.at(-5);
    await w.adminChat.send({ type: 'choice', value: `!av:s:${w.activity.id}` });
    const shown: Array<{ messageId: string | null; text: string }> = [];
    // Only this test's activity: earlier tests' panels are watched too.
    const mine = (text: string) => text.includes(w.activity.title);
    const job = signinCountersJob({ test: { show: async (_chat, messageId, text) => (mine(text) && shown.push({ messageId, text }), 'm1') } });
    const scheduler = new Scheduler(sys, [job], 'Asia/Shanghai');
    await scheduler.runOnce(job);
    expect(shown.at(-1)).toMatchObject({ messageId: null });
    expect(shown.at(-1)!.text).toContain('已签到 0 / 2');
    await w.chats[0].say(w.activity.signinCode);
    await w.chats[1].say(w.activity.signinCode);
    await scheduler.runOnce(job);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toMatchObject({ messageId: 'm1' });
    expect(shown[1].text).toContain('已签到 2 / 2');
    await scheduler.runOnce(job); // nothing changed: not edited again
    expect(shown).toHaveLength(2);
  });
});
