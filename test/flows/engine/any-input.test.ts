/**
 * Every input gets an answer: random text of any length (0 to 10,000 characters, any Unicode)
 * sent at every step of every flow, by a guest, a member and an admin, gets a reply that
 * Telegram takes (at most 4096 characters), never the generic failure.
 */
import fc from 'fast-check';
import { FLOWS } from '../../../flows';
import { GENERIC_ERROR } from '../../../flows/engine/runner';
import type { Reply } from '../../../flows/engine/types';
import { buildTree, makeAdmin } from '../../helpers/fixtures/admin-fixtures';
import { checkinSteps, joinSteps, registerSteps } from '../../helpers/fixtures/applicants';
import { TestChat } from '../../helpers/chat';
import { buildPerson, makeIdNumber } from '../../helpers/fixtures/factories';
import { createTestSystem, TestSystem } from '../../helpers/system';

let sys: TestSystem;
let t: Awaited<ReturnType<typeof buildTree>>;
let admin: Awaited<ReturnType<typeof makeAdmin>>;
let member: Awaited<ReturnType<typeof buildPerson>>;

beforeAll(async () => {
  sys = await createTestSystem();
  t = await buildTree(sys, '任');
  admin = await makeAdmin(sys, t.school.id, '钱随意');
  member = await buildPerson(sys, { name: '李随意', branchId: t.branchA.id, password: 'Member2024x' });
});
afterAll(() => sys.close());

type Step = (chat: TestChat) => Promise<unknown>;
/** One chat per kind of user, logged in once; each try starts from /cancel. */
const chats = new Map<string, TestChat>();
async function chatOf(kind: 'guest' | 'member' | 'admin'): Promise<TestChat> {
  let chat = chats.get(kind);
  if (!chat) {
    chat = new TestChat(sys);
    if (kind === 'member') await chat.login(member.idNumber, 'Member2024x');
    if (kind === 'admin') await chat.login(admin.idNumber, admin.password);
    chats.set(kind, chat);
  }
  await chat.say('/cancel');
  return chat;
}
const who = { guest: () => chatOf('guest'), member: () => chatOf('member'), admin: () => chatOf('admin') };

/** Any Unicode, any length up to 10,000, the empty text and whitespace included. */
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 3000, maxLength: 10_000 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', '\u0000', '张'.repeat(4090), '1'.repeat(10_000), '😀'.repeat(5000)) },
);

/** Sends `text` and checks the answer: some reply, each one Telegram takes, no failure. */
async function expectAnswered(chat: TestChat, text: string, where: string): Promise<void> {
  const replies: Reply[] = await chat.send({ type: 'text', text });
  const problem = !replies.length
    ? 'no reply'
    : replies.some((r) => !r.text.trim())
      ? 'an empty reply'
      : replies.some((r) => r.text.length > 4096)
        ? `a reply of ${Math.max(...replies.map((r) => r.text.length))} characters`
        : replies.some((r) => r.text.includes(GENERIC_ERROR))
          ? 'the generic failure'
          : null;
  if (problem) throw new Error(`${where}: ${problem} for input of ${text.length} characters ${JSON.stringify(text.slice(0, 40))}`);
}

/** At each depth of `steps`, a fresh chat goes that deep and gets random text. */
async function everyStep(name: string, make: () => Promise<TestChat>, steps: Step[], runs = 3): Promise<void> {
  for (let depth = 0; depth <= steps.length; depth++) {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        const chat = await make();
        for (const step of steps.slice(0, depth)) await step(chat);
        await expectAnswered(chat, text, `${name} after ${depth} steps`);
      }),
      { numRuns: runs },
    );
  }
}

describe("every input gets an answer under Telegram's limit", () => {
  it('every command, started by a guest, a member and an admin, then random text', async () => {
    const commands = FLOWS.flatMap((f) => f.commands).filter((c) => c !== 'app_reject');
    for (const [kind, make] of Object.entries(who)) {
      for (const command of commands) await everyStep(`/${command} by a ${kind}`, make, [(c) => c.say(`/${command}`)], 2);
    }
    await everyStep('no conversation', who.guest, [], 10);
  }, 300_000);

  it('R8 R9 R9a every step of the three ways to apply', async () => {
    await everyStep('/register', who.guest, registerSteps(makeIdNumber('20000101'), t.branchA));
    await everyStep('/join', who.guest, joinSteps(makeIdNumber('20080101'), t.branchA));
    await everyStep('/checkin', who.guest, checkinSteps(makeIdNumber('20000101'), '共青团某县委员会', t.branchA));
  }, 300_000);

  it('R2 R6 every step of logging in, changing the password and registering as an admin', async () => {
    const { idNumber } = await buildPerson(sys, { password: 'Secret123' });
    await everyStep('/login', who.guest, [(c) => c.say('/login'), (c) => c.say(idNumber)]);
    await everyStep('/password', who.member, [(c) => c.say('/password'), (c) => c.say('Member2024x'), (c) => c.say('Another2024x')]);
    await everyStep('/register_admin', who.guest, [
      (c) => c.say('/register_admin'),
      (c) => c.say(t.branchB.fullName.slice(3)),
      (c) => c.press(`org:${t.branchB.id}`),
      (c) => c.say(t.branchB.adminCode),
      (c) => c.say(makeIdNumber('19950101')),
      (c) => c.say('马小军'),
      (c) => c.say('2012-05-04'),
      (c) => c.say('13912345678'),
      (c) => c.say('Passw0rd2024'),
    ]);
  }, 300_000);

  it('R7 R12 R13 every step an admin takes in its forms', async () => {
    await everyStep('/add_member', who.admin, [
      (c) => c.say('/add_member'),
      (c) => c.say(t.branchA.fullName.slice(3)),
      (c) => c.press(`org:${t.branchA.id}`),
      (c) => c.say(makeIdNumber('20050101')),
      (c) => c.say('孙小梅'),
      (c) => c.press('role:member'),
      (c) => c.say('2021-05-04'),
    ]);
    await everyStep('/invite', who.admin, [(c) => c.say('/invite'), (c) => c.say(t.school.fullName.slice(3))]);
    await everyStep('/org_info', who.admin, [(c) => c.say('/org_info')]);
    await everyStep('/admin_code', who.admin, [(c) => c.say('/admin_code')]);
  }, 300_000);
});
