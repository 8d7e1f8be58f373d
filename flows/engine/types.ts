import type { Services } from '../../server/services';
import type { OutgoingMessage } from '../../server/services/messaging/outbox';
import type { PersonSummary } from '../../server/services/membership/profile-card';

/** A button: what it shows and the value sent back when pressed. */
export interface Choice {
  label: string;
  value: string;
  /** Opens the web app (R22) at this path instead of sending a value back: see appButton. */
  app?: string;
}

/** A channel-neutral reply: text, optional button rows, optional file. */
export interface Reply {
  text: string;
  choices?: Choice[][];
  file?: { name: string; data: Buffer; mime: string };
  /** What the answer to this reply is: a password makes the web chat's input a password field. */
  inputHint?: 'password';
}

/** A file the user sent; fetched only when the flow asks for it. */
export interface IncomingFile {
  name: string;
  size: number;
  mime?: string;
  download(): Promise<Buffer>;
}

/** One input from the user, whatever the channel. */
export type FlowEvent =
  | { type: 'text'; text: string }
  | { type: 'command'; name: string; args: string }
  | { type: 'choice'; value: string }
  | { type: 'document'; file: IncomingFile }
  /** Anything else a person can send: a sticker, a photo, a location, a voice message … */
  | { type: 'other'; kind: string };

/** Who is talking, as the channel vouches for it (identity from the user id, never the chat id). */
export interface Actor {
  channel: string;
  userId: string;
  chatId: string;
  isPrivate: boolean;
  /** The bound account, if logged in. */
  personId: number | null;
}

/** The command menu a user gets, by role. */
export type MenuKind = 'guest' | 'member' | 'admin';

/** What a flow may ask of the channel besides replying. */
export interface FlowIO {
  /** Sends a message now (before the step's replies). */
  send(reply: Reply): Promise<void>;
  /** Shows progress in one message, edited in place on each call. */
  progress(text: string): Promise<void>;
  /** Deletes the user's message that carried this input (e.g. a password). */
  deleteUserMessage(): Promise<void>;
  /** Sets the user's command menu. */
  setMenu(kind: MenuKind): Promise<void>;
  /**
   * A link that opens this chat with `/start <payload>` (Telegram's deep link
   * `https://t.me/<bot>?start=…`), or null where the channel has none.
   */
  startLink?(payload: string): Promise<string | null>;
  /**
   * The web app (R22) as this chat opens it: its address when app buttons (appButton) work here,
   * else null (Telegram without WEBAPP_URL), with where this machine serves it for developers.
   */
  webApp?: { url: string | null; localUrl?: string };
}

/** What a flow step gets. */
export interface FlowContext {
  services: Services;
  actor: Actor;
  /** The logged-in person as read when this input arrived (not refreshed by this step's changes). */
  person: PersonSummary | null;
  io: FlowIO;
  /** The key of the update being handled (its content: chat and message, or callback), if it has one: keys work queued by it. */
  updateId?: string;
  /** Encrypts a sensitive value before it goes into saved state (ID numbers, passwords). */
  seal(value: string): string;
  open(sealed: string): string;
}

/** A step's outcome: replies, and the next state (null or absent: the conversation ends). */
export interface StepResult<S> {
  replies: Reply[];
  next?: S | null;
  /** Starts this flow (by name) once this one ends, its replies after these. */
  then?: { flow: string; args?: string };
}

/**
 * A conversation, as an explicit state machine over plain-JSON state. `version` is stored
 * with the state: bump it when the state's shape changes, and older saved states are dropped.
 */
export interface Flow<S = unknown> {
  name: string;
  version: number;
  /** Commands that start it (without `/`). */
  commands: string[];
  /** Needs a logged-in account. */
  requiresLogin?: boolean;
  /** Personal data or admin work: answered only in private chats. */
  privateOnly?: boolean;
  start(ctx: FlowContext, args: string): Promise<StepResult<S>>;
  step?(ctx: FlowContext, state: S, event: FlowEvent): Promise<StepResult<S>>;
  /** Text sent while no conversation is going on that this flow takes, started with it as args (one flow: a sign-in code). */
  idleText?: RegExp;
  /** Handles a file sent while no conversation is going on (one flow may claim this, e.g. the import). */
  onDocument?(ctx: FlowContext, file: IncomingFile): Promise<StepResult<S>>;
}

/**
 * A button handled outside any conversation, e.g. an admin's approve button sent by a
 * notification. Values look like `!<prefix>:<payload>`; the handler checks the presser's rights.
 */
export interface Action {
  prefix: string;
  privateOnly?: boolean;
  handle(ctx: FlowContext, payload: string): Promise<Reply[]>;
}

/** A queued message (plain JSON, the file in base64) as a reply to send. */
export function replyOf(message: OutgoingMessage): Reply {
  const { file } = message;
  return { text: message.text, choices: message.choices, file: file && { name: file.name, mime: file.mime, data: Buffer.from(file.base64, 'base64') } };
}

/** A reply as a message to queue (plain JSON). */
export function outgoingOf(reply: Reply): OutgoingMessage {
  const { file } = reply;
  return { text: reply.text, choices: reply.choices, file: file && { name: file.name, mime: file.mime, base64: file.data.toString('base64') } };
}

/** A positive id a command carries (`/participants 12`, `/fee_pay 12`), or null. */
export function idArg(args: string): number | null {
  const id = Number(args.trim());
  return args.trim() && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Builds a button. */
export const button = (label: string, value: string): Choice => ({ label, value });

/**
 * A button that opens the web app (R22) at `path` of it: a Mini App in Telegram, the address in
 * the local chat. Only where `FlowIO.webApp.url` is set; elsewhere the channel leaves it out.
 * @example appButton('打开团务应用', '/fees')
 */
export const appButton = (label: string, path = '/'): Choice => ({ label, value: '', app: path });

/** The address of a path of the web app under its base address (`https://example.org/app/` + `/fees`). */
export function webAppLink(base: string, path: string): string {
  const url = new URL(base);
  url.pathname = url.pathname.replace(/\/*$/, '/') + path.replace(/^\/+/, '');
  return url.href;
}

/** Builds an action button value. */
export const actionValue = (prefix: string, payload: string): string => `!${prefix}:${payload}`;
