import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { ActivityParticipant } from '../../models';
import { buildTree, makeAdmin } from '../helpers/fixtures/admin-fixtures';
import type { BotApiEmulator } from '../helpers/telegram/bot-api-emulator';
import { buildPerson } from '../helpers/fixtures/factories';
import { startPollingBot } from '../helpers/telegram/polling-bot';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
let emu: BotApiEmulator;
let stopBot: () => Promise<void>;

beforeAll(async () => {
  sys = await createTestSystem();
  ({ emu, stop: stopBot } = await startPollingBot(sys));
});
afterAll(async () => {
  await stopBot();
  await sys.close();
});

describe('sign-in through the Telegram adapter (Bot API emulator)', () => {
  it('R19 the organiser gets the QR code as a photo; it decodes to the deep link, and opening it (/start signin_…) signs the member in once', async () => {
    const tree = await buildTree(sys, '电报');
    const admin = await makeAdmin(sys, tree.branchA.id, '组织者');
    const member = await buildPerson(sys, { name: '扫码者', branchId: tree.branchA.id });
    const organiser = { id: 7100001, first_name: '组织者' };
    const scanner = { id: 7100002, first_name: '扫码者' };
    // Both logged in before (as /login does).
    await sys.services.bindings.bind('telegram', String(organiser.id), String(organiser.id), admin.person.id);
    await sys.services.bindings.bind('telegram', String(scanner.id), String(scanner.id), member.person.id);
    const now = sys.clock.now.getTime();
    const activity = await sys.services.activities.create(admin.person.id, {
      orgId: tree.branchA.id,
      kind: 'league_day',
      title: '扫码签到团日',
      startsAt: new Date(now + 5 * 60_000),
      endsAt: new Date(now + 65 * 60_000),
    });
    await sys.services.activityParticipants.add(admin.person.id, activity.id, [member.person.id]);

    emu.sendText(organiser, `/activities ${activity.id}`);
    await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === organiser.id && String(c.params.text).includes('扫码签到团日'));
    emu.pressButton(organiser, `!av:s:${activity.id}`);
    const link = `https://t.me/zhtj_test_bot?start=signin_${activity.signinToken}`;
    await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === organiser.id && String(c.params.text).includes(link));
    const photo = await emu.waitForCall('sendPhoto', (c) => Number(c.params.chat_id) === organiser.id);
    const sent = emu.sentMessages(organiser.id).find((m) => m.photo)!;
    const png = PNG.sync.read(emu.fileData(sent.photo[0].file_id)!);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(link);
    expect(String(photo.params.caption)).toContain(activity.signinCode);

    // A phone opening the link sends `/start signin_<token>`.
    emu.sendText(scanner, `/start signin_${activity.signinToken}`);
    await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === scanner.id && String(c.params.text).includes('签到成功'));
    // Still on R3's initial password: signing in did not wait for a new one, which is asked right after.
    await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === scanner.id && String(c.params.text).includes('请先设置新密码'));
    emu.sendText(scanner, `/start signin_${activity.signinToken}`);
    await emu.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === scanner.id && String(c.params.text).includes('您已签到'));
    const row = await ActivityParticipant.findOne({ where: { activityId: activity.id, personId: member.person.id } });
    expect(row!.signedInAt).not.toBeNull();
  });
});
