import { parseCommand } from '../render';
import type { FlowRunner } from '../../flows/engine/runner';
import { renderNotice } from '../../flows/notices';
import { type FlowEvent, type MenuKind, type Reply, webAppLink } from '../../flows/engine/types';
import type { Services } from '../../server/services';

/** What the user typed, pressed or uploaded in a local chat. */
export type LocalInput = { text: string } | { choice: string } | { file: { name: string; data: Buffer; mime?: string } };

/** Everything a local chat shows after one input. */
export interface LocalOutput {
  replies: Reply[];
  /** The latest progress line of long work, if any. */
  progress: string[];
  menu?: MenuKind;
  /** True when the input (a password) should be hidden in the transcript. */
  hideInput: boolean;
}

export const LOCAL_CHANNEL = 'local';

/**
 * The local chat channel (terminal and web page): the same flows as Telegram, with the
 * user id chosen locally. Messages queued for a local user wait in the outbox until polled.
 */
export class LocalChannel {
  constructor(
    private readonly runner: FlowRunner,
    private readonly services: Services,
    /** `appUrl`: the web app's address where no web chat page tells it (the terminal: this machine's server). */
    private readonly opts: { appUrl?: string } = {},
  ) {}

  /**
   * `chatUrl`: the web chat's address as the browser reached it; its `?start=` opens the chat with
   * `/start <payload>`, and the web app is at `/app/` of the same server.
   */
  async handle(userId: string, input: LocalInput, chatUrl?: string): Promise<LocalOutput> {
    const out: LocalOutput = { replies: [], progress: [], hideInput: false };
    const appUrl = this.appUrl(chatUrl);
    const replies = await this.runner.handle({
      actor: { channel: LOCAL_CHANNEL, userId, chatId: userId, isPrivate: true },
      event: toEvent(input),
      io: {
        send: async (r) => void out.replies.push(r),
        progress: async (t) => void out.progress.push(t),
        deleteUserMessage: async () => void (out.hideInput = true),
        setMenu: async (k) => void (out.menu = k),
        startLink: async (payload) => (chatUrl ? `${chatUrl}?start=${encodeURIComponent(payload)}` : null),
        webApp: { url: appUrl ?? null },
      },
    });
    out.replies.push(...replies);
    out.replies = out.replies.map((r) => withAppLinks(r, appUrl));
    return out;
  }

  private appUrl(chatUrl: string | undefined): string | undefined {
    return chatUrl ? new URL('/app/', chatUrl).href : this.opts.appUrl;
  }

  /** Notifications queued for this local user (e.g. an approval request), taken once; where their background jobs and watched sign-ins stand. */
  async inbox(userId: string, chatUrl?: string): Promise<{ replies: Reply[]; progress: string[] }> {
    const [messages, jobs, counts] = await Promise.all([
      this.services.outbox.takeForChat(LOCAL_CHANNEL, userId),
      this.services.backgroundJobs.runningIn(LOCAL_CHANNEL, userId),
      this.services.signin.countersIn(LOCAL_CHANNEL, userId),
    ]);
    // Taken means shown: one that cannot be rendered still says something came.
    const replies = await Promise.all(
      messages.map((m) =>
        renderNotice(this.services, m.notice, { channel: LOCAL_CHANNEL, chatId: userId, personId: m.personId }).catch(() => ({
          text: '（有一条通知无法显示）',
        })),
      ),
    );
    return { replies: replies.filter((r): r is Reply => r !== null).map((r) => withAppLinks(r, this.appUrl(chatUrl))), progress: [...jobs, ...counts] };
  }
}

/**
 * App buttons (appButton) as lines of the text with the web app's address: a local chat has no
 * Mini App, and pressing one would send nothing back. Without an address they are left out.
 */
export function withAppLinks(reply: Reply, appUrl: string | undefined): Reply {
  if (!reply.choices?.some((row) => row.some((c) => c.app !== undefined))) return reply;
  const links = reply.choices
    .flat()
    .filter((c) => c.app !== undefined && appUrl)
    .map((c) => `${c.label}：${webAppLink(appUrl!, c.app!)}`);
  const choices = reply.choices.map((row) => row.filter((c) => c.app === undefined)).filter((row) => row.length);
  return { ...reply, text: [reply.text, ...links].join('\n'), choices: choices.length ? choices : undefined };
}

function toEvent(input: LocalInput): FlowEvent {
  if ('choice' in input) return { type: 'choice', value: input.choice };
  if ('file' in input) {
    const { name, data, mime } = input.file;
    return { type: 'document', file: { name, size: data.length, mime, download: async () => data } };
  }
  const command = parseCommand(input.text);
  return command ? { type: 'command', ...command } : { type: 'text', text: input.text };
}
