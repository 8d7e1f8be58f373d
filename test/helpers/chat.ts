import { inlineKeyboard } from '../../bot/render';
import type { FlowEvent, MenuKind, Reply } from '../../flows/engine/types';
import type { System } from '../../server/system';

/**
 * A chat user talking to the flow runner directly (no channel adapter), recording what
 * the channel was asked to do besides replying.
 */
export class TestChat {
  readonly sent: Reply[] = [];
  readonly progress: string[] = [];
  readonly menus: MenuKind[] = [];
  deletions = 0;
  /** Update ids are unique per bot, as Telegram's are. */
  private static nextUpdateId = 1;
  /** Chat users are distinct people: counted, never drawn at random (two draws can be equal). */
  private static nextUserId = 10_000;

  constructor(
    private readonly sys: System,
    readonly userId = String(TestChat.nextUserId++),
    readonly opts: { channel?: string; chatId?: string; isPrivate?: boolean } = {},
  ) {}

  async send(event: FlowEvent, updateId?: number): Promise<Reply[]> {
    const replies = await this.sys.runner.handle({
      actor: {
        channel: this.opts.channel ?? 'test',
        userId: this.userId,
        chatId: this.opts.chatId ?? this.userId,
        isPrivate: this.opts.isPrivate ?? true,
      },
      event,
      updateId,
      io: {
        send: async (r) => void this.sent.push(r),
        progress: async (t) => void this.progress.push(t),
        deleteUserMessage: async () => void this.deletions++,
        setMenu: async (k) => void this.menus.push(k),
        startLink: async (payload) => `https://t.me/test_bot?start=${payload}`,
      },
    });
    // Every reply must be sendable to Telegram as it is (a button value over 64 bytes is not).
    for (const r of replies) inlineKeyboard(r.choices);
    return replies;
  }

  /** Sends text (a `/command` becomes a command event) and returns the replies' texts joined. */
  async say(text: string): Promise<string> {
    const event: FlowEvent = text.startsWith('/')
      ? { type: 'command', name: text.slice(1).split(' ')[0], args: text.split(' ').slice(1).join(' ') }
      : { type: 'text', text };
    return (await this.send(event, TestChat.nextUpdateId++)).map((r) => r.text).join('\n');
  }

  async press(value: string): Promise<string> {
    return (await this.send({ type: 'choice', value }, TestChat.nextUpdateId++)).map((r) => r.text).join('\n');
  }

  /** Logs in through the /login conversation. */
  async login(idNumber: string, password: string): Promise<string> {
    await this.say('/login');
    await this.say(idNumber);
    return this.say(password);
  }
}
