/**
 * In-process Telegram Bot API emulator for tests.
 *
 * Serves `/bot<token>/<method>` (JSON, urlencoded and multipart bodies) and `/file/bot<token>/<path>`
 * over real HTTP on 127.0.0.1, so a telegraf bot configured with `telegram: { apiRoot: emu.apiRoot }`
 * runs unmodified. Every request is recorded in `calls`; tests feed updates with `pushUpdate`/`sendText`/
 * `pressButton`/`sendDocument` (delivered through long-polling `getUpdates`) or `postWebhookUpdate`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';

type Json = Record<string, any>;

/** One Bot API request received by the emulator; `result` is (a snapshot of) the answer when it succeeded. */
export interface ApiCall {
  method: string;
  params: Json;
  at: number;
  result?: unknown;
}
/** A Telegram user, as given to the update helpers. */
export interface EmuUser {
  id: number;
  first_name?: string;
  username?: string;
}
/** A Telegram chat, as given to the update helpers (defaults to the user's private chat). */
export interface EmuChat {
  id: number;
  type: string;
  [key: string]: unknown;
}
/** A file known to the emulator (doubles as a Bot API `Document`). */
export interface EmuFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_name: string;
  mime_type: string;
}
/** A file uploaded by the bot in a multipart request, as recorded in `ApiCall.params` (e.g. `params.document`). */
export interface UploadedFile {
  fileName: string;
  mime: string;
  data: Buffer;
}

/** The bot user answered by `getMe` and used as `from` of the bot's messages. */
export const EMULATED_BOT = {
  id: 777000111,
  is_bot: true,
  first_name: '智慧团建',
  username: 'zhtj_test_bot',
  can_join_groups: true,
  supports_inline_queries: false,
} as const;

/** Error answered as `{ ok: false, error_code, description }`. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    description: string,
  ) {
    super(description);
  }
}
const fail = (code: number, description: string): never => {
  throw new ApiError(code, description);
};

interface ChatState {
  chat: EmuChat;
  nextId: number;
  known: Set<number>;
  sent: Json[];
  deleted: number[];
}

const OOXML = 'application/vnd.openxmlformats-officedocument.';
const MIME: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  xls: 'application/vnd.ms-excel',
  xlsx: `${OOXML}spreadsheetml.sheet`,
  docx: `${OOXML}wordprocessingml.document`,
};
const extOf = (name: string) => (/\.([A-Za-z0-9]+)$/.exec(name)?.[1] ?? '').toLowerCase();
const now = () => Math.floor(Date.now() / 1000);
const isTrue = (v: unknown) => v === true || v === 'true';
const isUpload = (v: unknown): v is UploadedFile => !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedFile).data);
/** One line per call for error messages, uploads shortened. */
const describe = (c: ApiCall) =>
  `${c.method} ${JSON.stringify(c.params, (_k, v: unknown) => (isUpload(v) ? { ...v, data: `<${v.data.length} bytes>` } : v))}`.slice(0, 300);
const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are ' +
  'exactly the same as a current content and reply markup of the message';

/** Form fields are strings; JSON-looking ones (reply_markup, scope, commands…) are parsed. */
function fieldValue(v: string): unknown {
  if (!/^\s*[[{]/.test(v)) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Multipart bodies: file parts become `UploadedFile`s under their field name. */
function parseMultipart(req: http.IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const out: Json = {};
    const files: Promise<void>[] = [];
    const bb = busboy({ headers: req.headers, defParamCharset: 'utf8' }); // utf8: Chinese file names
    bb.on('field', (name, value) => {
      out[name] = fieldValue(value);
    });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      files.push(
        new Promise((done) =>
          stream
            .on('data', (c: Buffer) => chunks.push(c))
            .on('end', () => {
              const fileName = info.filename ?? name;
              // Like Telegram, trust the extension; busboy reports text/plain for parts without a content-type.
              const part = info.mimeType && info.mimeType !== 'text/plain' ? info.mimeType : 'application/octet-stream';
              out[name] = { fileName, mime: MIME[extOf(fileName)] ?? part, data: Buffer.concat(chunks) } satisfies UploadedFile;
              done();
            }),
        ),
      );
    });
    bb.on('close', () => void Promise.all(files).then(() => resolve(out))).on('error', reject);
    req.pipe(bb);
  });
}

async function parseBody(req: http.IncomingMessage): Promise<Json> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return parseMultipart(req);
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw.trim()) return {};
  if (type.includes('json'))
    try {
      return JSON.parse(raw) as Json;
    } catch {
      fail(400, "Bad Request: can't parse JSON");
    }
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = fieldValue(v);
  return out;
}

/** A fake Telegram Bot API server; see the module comment. */
export class BotApiEmulator {
  /** Every request received, in arrival order (getUpdates is recorded when it arrives). */
  readonly calls: ApiCall[] = [];
  /** Base URL to pass as telegraf's `telegram.apiRoot`, e.g. `http://127.0.0.1:PORT`. */
  apiRoot = '';
  private server!: http.Server;
  private stopped = false;
  private seq = 0;
  private nextUpdateId = 1;
  private queue: Json[] = [];
  private webhook: Json = { url: '' };
  private readonly polls = new Set<() => void>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly chats = new Map<number, ChatState>();
  private readonly files = new Map<string, EmuFile & { data: Buffer; path: string }>();
  private readonly cursors = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private readonly commands = new Map<string, unknown>();
  /** Faults switched on by a test (see `limitPerChat`, `block`, `setConflict`, `setOffline`). */
  private perChatLimit: { max: number; windowMs: number; retryAfterS: number } | null = null;
  private overallLimit: { perMs: number; burst: number; retryAfterS: number; tokens: number; at: number } | null = null;
  private storm: { until: number; retryAfterS: number } | null = null;
  private readonly recentSends = new Map<number, number[]>();
  private readonly blocked = new Set<number>();
  private readonly missing = new Set<number>();
  private conflict = false;
  private offline = false;
  private heldFiles: Array<() => void> | null = null;
  /** Answers given with 429 / 403 / 400, for the test to count (`at`: when, ms). */
  readonly refusals: Array<{ method: string; chatId: number; code: number; at: number }> = [];

  private constructor(readonly token: string) {}

  /** Updates queued and not yet confirmed by a poll's offset: Telegram would hand them out (again). */
  get pendingUpdates(): number {
    return this.queue.length;
  }

  /** Start an emulator on a random free port of 127.0.0.1. */
  static async start(opts: { token?: string } = {}): Promise<BotApiEmulator> {
    const emu = new BotApiEmulator(opts.token ?? '777000111:TEST-zhtj-token');
    emu.server = http.createServer((req, res) => {
      const p = emu.handle(req, res).finally(() => emu.inflight.delete(p));
      emu.inflight.add(p);
    });
    await new Promise<void>((resolve, reject) => emu.server.once('error', reject).listen(0, '127.0.0.1', resolve));
    emu.apiRoot = `http://127.0.0.1:${(emu.server.address() as AddressInfo).port}`;
    return emu;
  }

  /** Answer pending long polls with `[]`, then close the server and all its connections. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.holdFiles(false);
    for (const end of [...this.polls]) end();
    await Promise.all([...this.inflight]);
    await new Promise((resolve) => {
      this.server.close(resolve);
      this.server.closeAllConnections();
    });
  }

  // ---- faults -------------------------------------------------------------------------------------

  /**
   * Like Telegram's flood control: more than `max` messages (sends and edits) to one chat within
   * `windowMs` are refused with 429 and `retry_after`. `null` switches it off.
   */
  limitPerChat(limit: { max: number; windowMs: number; retryAfterS: number } | null): void {
    this.perChatLimit = limit;
    this.recentSends.clear();
  }

  /**
   * Like Telegram's overall flood control: messages (sends and edits) to all chats together
   * beyond `perSecond` a second are refused with 429 and `retry_after`. A token bucket holding
   * `burst` (default: one second's worth). `null` switches it off.
   */
  limitOverall(limit: { perSecond: number; retryAfterS: number; burst?: number } | null): void {
    const burst = limit ? (limit.burst ?? limit.perSecond) : 0;
    this.overallLimit = limit && { perMs: limit.perSecond / 1000, burst, retryAfterS: limit.retryAfterS, tokens: burst, at: Date.now() };
  }

  /** A flood-control storm: every message is refused with 429 and `retry_after` for the next `ms`. */
  startStorm(ms: number, retryAfterS: number): void {
    this.storm = { until: Date.now() + ms, retryAfterS };
  }

  /** The user blocked the bot: messages to the chat are refused with 403 until `unblock`. */
  block(chatId: number): void {
    this.blocked.add(chatId);
  }
  unblock(chatId: number): void {
    this.blocked.delete(chatId);
    this.missing.delete(chatId);
  }

  /** Messages to the chat are refused with 400 (the chat does not exist) until `unblock`. */
  reject(chatId: number): void {
    this.missing.add(chatId);
  }

  /** getUpdates answers 409, as when another instance of the bot polls. */
  setConflict(on: boolean): void {
    this.conflict = on;
  }

  /** Every request's connection is dropped unanswered, as when the Bot API cannot be reached. */
  setOffline(on: boolean): void {
    this.offline = on;
  }

  /** File downloads wait (a bot's update handler stays in flight) until switched off again. */
  holdFiles(on: boolean): void {
    if (on) this.heldFiles ??= [];
    else {
      const held = this.heldFiles ?? [];
      this.heldFiles = null;
      held.forEach((release) => release());
    }
  }

  private checkFaults(method: string, p: Json): void {
    if (!['sendMessage', 'sendDocument', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup'].includes(method)) return;
    const chatId = Number(p.chat_id);
    const now = Date.now();
    const tooMany = (retryAfterS: number): never => {
      this.refusals.push({ method, chatId, code: 429, at: now });
      throw Object.assign(new ApiError(429, `Too Many Requests: retry after ${retryAfterS}`), { retryAfter: retryAfterS });
    };
    if (this.blocked.has(chatId) && method.startsWith('send')) {
      this.refusals.push({ method, chatId, code: 403, at: now });
      fail(403, 'Forbidden: bot was blocked by the user');
    }
    if (this.missing.has(chatId) && method.startsWith('send')) {
      this.refusals.push({ method, chatId, code: 400, at: now });
      fail(400, 'Bad Request: chat not found');
    }
    if (this.storm && now < this.storm.until) tooMany(this.storm.retryAfterS);
    const overall = this.overallLimit;
    if (overall) {
      overall.tokens = Math.min(overall.burst, overall.tokens + (now - overall.at) * overall.perMs);
      overall.at = now;
      if (overall.tokens < 1) tooMany(overall.retryAfterS);
    }
    const limit = this.perChatLimit;
    const recent = limit ? (this.recentSends.get(chatId) ?? []).filter((t) => now - t < limit.windowMs) : [];
    if (limit && recent.length >= limit.max) {
      this.recentSends.set(chatId, recent);
      tooMany(limit.retryAfterS);
    }
    // Counted only once it is let through: a refused message does not use up the rate.
    if (overall) overall.tokens -= 1;
    if (!limit) return;
    recent.push(now);
    this.recentSends.set(chatId, recent);
  }

  // ---- recording ----------------------------------------------------------------------------------

  /** Recorded calls of one method. */
  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }
  /** Forget recorded calls (and the `waitForCall` cursors). */
  clearCalls(): void {
    this.calls.length = 0;
    this.cursors.clear();
  }

  /**
   * Resolve with the first call of `method` matching `predicate` that no earlier `waitForCall(method)`
   * has passed (a cursor per method, so sequential waits return successive calls). Rejects after
   * `timeoutMs` with an error listing the calls seen.
   */
  waitForCall(method: string, predicate: (call: ApiCall) => boolean = () => true, timeoutMs = 5000): Promise<ApiCall> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = () => {
        const from = this.cursors.get(method) ?? 0;
        const i = this.calls.findIndex((c, idx) => idx >= from && c.method === method && predicate(c));
        if (i < 0) return;
        this.cursors.set(method, i + 1);
        finish();
        resolve(this.calls[i]);
      };
      const timer = setTimeout(() => {
        finish();
        const polls = method === 'getUpdates';
        const seen = this.calls.map((c, i) => `  #${i} ${describe(c)}`).filter((_l, i) => polls || this.calls[i].method !== 'getUpdates');
        reject(
          new Error(
            `waitForCall('${method}') timed out after ${timeoutMs}ms (cursor at #${this.cursors.get(method) ?? 0}). ` +
              `Calls seen${polls ? '' : ' (getUpdates omitted)'}:\n${seen.slice(-40).join('\n') || '  (none)'}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private readonly listeners = new Set<(call: ApiCall) => void>();

  /** Calls `listener` with every request as it is recorded; returns a function that stops it. */
  onCall(listener: (call: ApiCall) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(call: ApiCall): void {
    this.calls.push(call);
    for (const listener of this.listeners) listener(call);
    for (const check of [...this.waiters]) check();
  }

  // ---- chats, messages, files ---------------------------------------------------------------------

  /** Bot messages currently visible in a chat (edits applied, deleted ones removed), as snapshots. */
  sentMessages(chatId: number): Json[] {
    const s = this.chats.get(chatId);
    return s ? s.sent.filter((m) => !s.deleted.includes(m.message_id)).map((m) => structuredClone(m)) : [];
  }

  /** Current text (or caption, or `[document name]`) of the bot's visible messages to a chat, in order. */
  messagesTo(chatId: number): string[] {
    return this.sentMessages(chatId).map((m) => m.text ?? m.caption ?? `[document ${m.document?.file_name ?? '?'}]`);
  }

  /** Ids of messages (the bot's or the users') deleted in a chat, in deletion order. */
  deletedMessages(chatId: number): number[] {
    return [...(this.chats.get(chatId)?.deleted ?? [])];
  }
  /** The bytes of a file the bot sent or a test added (a photo's QR code, an exported sheet). */
  fileData(fileId: string): Buffer | undefined {
    return this.files.get(fileId)?.data;
  }
  /** Register a downloadable file; returns its metadata (usable as a `Document`). */
  addFile(content: Buffer, fileName: string, mime?: string): EmuFile {
    const n = ++this.seq;
    const ext = extOf(fileName);
    const info: EmuFile = {
      file_id: `BQACAgUAAxkBAAI${String(n).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`,
      file_unique_id: `AgAD${n}`,
      file_size: content.length,
      file_name: fileName,
      mime_type: mime ?? MIME[ext] ?? 'application/octet-stream',
    };
    this.files.set(info.file_id, { ...info, data: content, path: `documents/file_${n}${ext ? `.${ext}` : ''}` });
    return { ...info };
  }

  private chat(id: number, chat?: EmuChat): ChatState {
    if (!Number.isFinite(id)) fail(400, 'Bad Request: chat not found');
    let s = this.chats.get(id);
    if (!s) this.chats.set(id, (s = { chat: chat ?? { id, type: 'private' }, nextId: 1, known: new Set(), sent: [], deleted: [] }));
    return s;
  }

  /** A message from the bot; only inline keyboards are echoed, as Telegram does. */
  private botMessage(p: Json, content: Json): Json {
    const s = this.chat(Number(p.chat_id));
    const msg: Json = { message_id: s.nextId++, from: EMULATED_BOT, chat: s.chat, date: now(), ...content };
    if (p.reply_markup?.inline_keyboard) msg.reply_markup = p.reply_markup;
    s.known.add(msg.message_id);
    s.sent.push(msg);
    return msg;
  }

  /** editMessageText (with `text`) / editMessageReplyMarkup: an omitted markup removes the keyboard. */
  private edit(p: Json, text?: string): Json | true {
    if (p.inline_message_id) return true;
    const s = this.chats.get(Number(p.chat_id));
    const id = Number(p.message_id);
    const msg = (s?.deleted.includes(id) ? undefined : s?.sent.find((m) => m.message_id === id)) ?? fail(400, 'Bad Request: message to edit not found');
    const markup = p.reply_markup?.inline_keyboard ? p.reply_markup : undefined;
    const field = msg.text === undefined ? 'caption' : 'text';
    if ((text ?? msg[field]) === msg[field] && JSON.stringify(markup) === JSON.stringify(msg.reply_markup)) fail(400, NOT_MODIFIED);
    if (text !== undefined) msg[field] = text;
    if (markup) msg.reply_markup = markup;
    else delete msg.reply_markup;
    msg.edit_date = now();
    return msg;
  }

  /** `document` of sendDocument: an upload (stored as a new file) or a known file_id. */
  private document(doc: unknown): EmuFile {
    if (isUpload(doc)) return this.addFile(doc.data, doc.fileName, doc.mime);
    const known = (typeof doc === 'string' && this.files.get(doc)) || fail(400, 'Bad Request: wrong file identifier/HTTP URL specified');
    const { file_id, file_unique_id, file_size, file_name, mime_type } = known;
    return { file_id, file_unique_id, file_size, file_name, mime_type };
  }

  // ---- HTTP ---------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.offline) {
      req.socket.destroy();
      return;
    }
    const send = (status: number, body: unknown, type = 'application/json') =>
      new Promise<void>((resolve) => {
        if (res.writableEnded || res.destroyed) return resolve();
        res.writeHead(status, { 'content-type': type }).end(Buffer.isBuffer(body) ? body : JSON.stringify(body), resolve);
      });
    const url = new URL(req.url ?? '/', this.apiRoot);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    const path = file?.[1] === this.token ? decodeURIComponent(file[2]) : undefined;
    const f = [...this.files.values()].find((x) => x.path === path);
    if (f && this.heldFiles) await new Promise<void>((release) => this.heldFiles!.push(release));
    if (f) return send(200, f.data, f.mime_type);
    const route = file ? null : /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!route) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    if (route[1] !== this.token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const call: ApiCall = { method: route[2], params: {}, at: Date.now() };
    const isPoll = call.method === 'getUpdates';
    let status = 200;
    let body: Json;
    try {
      for (const [k, v] of url.searchParams) call.params[k] = fieldValue(v);
      Object.assign(call.params, await parseBody(req));
      if (call.params.method === call.method) delete call.params.method; // telegraf adds it to multipart bodies
      if (isPoll) this.record(call);
      if (!isPoll) this.checkFaults(call.method, call.params);
      const result = isPoll ? await this.getUpdates(call.params, res) : this.dispatch(call.method, call.params);
      call.result = structuredClone(result);
      body = { ok: true, result };
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, `Internal Server Error: ${String(e)}`);
      status = err.code;
      const retryAfter = (err as ApiError & { retryAfter?: number }).retryAfter;
      body = { ok: false, error_code: err.code, description: err.message, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) };
    }
    if (!isPoll) this.record(call); // after the state change, so a test woken by waitForCall sees it
    await send(status, body);
  }

  private dispatch(method: string, p: Json): unknown {
    const scope = () => JSON.stringify([p.scope ?? { type: 'default' }, p.language_code ?? '']);
    const text = () => {
      const t = String(p.text ?? '');
      if (!t.trim()) fail(400, 'Bad Request: message text is empty');
      if (t.length > 4096) fail(400, 'Bad Request: message is too long');
      return t;
    };
    if (p.caption !== undefined && String(p.caption).length > 1024) fail(400, 'Bad Request: message caption is too long');
    switch (method) {
      case 'getMe':
        return EMULATED_BOT;
      case 'setWebhook':
      case 'deleteWebhook':
        if (isTrue(p.drop_pending_updates)) this.queue = [];
        this.webhook = method === 'setWebhook' ? { ...p, url: String(p.url ?? '') } : { url: '' };
        return true;
      case 'getWebhookInfo': {
        const { url, max_connections, allowed_updates, ip_address } = this.webhook;
        const pending_update_count = this.queue.length;
        return { url, has_custom_certificate: false, pending_update_count, max_connections, allowed_updates, ip_address };
      }
      case 'sendMessage':
        return this.botMessage(p, { text: text() });
      case 'sendDocument':
        return this.botMessage(p, { document: this.document(p.document), ...(p.caption ? { caption: String(p.caption) } : {}) });
      case 'sendPhoto': {
        // One size is enough here; Telegram adds smaller ones.
        const { file_id, file_unique_id, file_size } = this.document(p.photo);
        return this.botMessage(p, {
          photo: [{ file_id, file_unique_id, file_size, width: 0, height: 0 }],
          ...(p.caption ? { caption: String(p.caption) } : {}),
        });
      }
      case 'editMessageText':
        return this.edit(p, text());
      case 'editMessageReplyMarkup':
        return this.edit(p);
      case 'deleteMessage': {
        const s = this.chats.get(Number(p.chat_id));
        const id = Number(p.message_id);
        if (!s?.known.has(id) || s.deleted.includes(id)) fail(400, 'Bad Request: message to delete not found');
        else s.deleted.push(id);
        return true;
      }
      case 'getFile': {
        const f = this.files.get(String(p.file_id)) ?? fail(400, 'Bad Request: invalid file_id');
        return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, file_path: f.path };
      }
      case 'setMyCommands':
        this.commands.set(scope(), p.commands ?? []);
        return true;
      case 'deleteMyCommands':
        this.commands.delete(scope());
        return true;
      case 'getMyCommands':
        return this.commands.get(scope()) ?? [];
      default:
        return true; // answerCallbackQuery, sendChatAction and any other method
    }
  }

  /** Long polling: drops updates below `offset`, waits up to `timeout` seconds for one to be queued. */
  private async getUpdates(p: Json, res: http.ServerResponse): Promise<Json[]> {
    if (this.webhook.url) fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    if (this.conflict) fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    const offset = Number(p.offset ?? 0);
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
    const timeout = Math.max(Number(p.timeout ?? 0) || 0, 0);
    if (!this.queue.length && timeout > 0 && !this.stopped) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.polls.delete(done);
          res.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, timeout * 1000);
        this.polls.add(done);
        res.once('close', done); // the client gave up (e.g. bot.stop() aborts its poll)
      });
    }
    return this.queue.slice(0, Math.min(Math.max(Number(p.limit ?? 100) || 100, 1), 100));
  }

  // ---- feeding updates ----------------------------------------------------------------------------

  /**
   * Queue an update for getUpdates (waking pending polls). Assigns `update_id`, and `message_id` to a
   * `message` lacking one (per-chat counter shared with the bot's messages). Mutates and returns `update`.
   */
  pushUpdate(update: Json): Json {
    this.queue.push(this.prepare(update));
    for (const wake of [...this.polls]) wake();
    return update;
  }

  private prepare(update: Json): Json {
    if (update.update_id === undefined) update.update_id = this.nextUpdateId++;
    else this.nextUpdateId = Math.max(this.nextUpdateId, Number(update.update_id) + 1);
    const msg: Json | undefined = update.message ?? update.edited_message ?? update.channel_post;
    if (msg?.chat) {
      const s = this.chat(Number(msg.chat.id), msg.chat);
      if (msg.message_id === undefined) msg.message_id = s.nextId++;
      else s.nextId = Math.max(s.nextId, Number(msg.message_id) + 1);
      s.known.add(msg.message_id);
    }
    return update;
  }

  private static userOf({ id, first_name = '测试用户', username }: EmuUser): Json {
    return { id, is_bot: false, first_name, ...(username ? { username } : {}), language_code: 'zh-hans' };
  }

  private userMessage(user: EmuUser, chat: EmuChat | undefined, content: Json): Json {
    const from = BotApiEmulator.userOf(user);
    const c = chat ?? this.chats.get(user.id)?.chat ?? { id: user.id, type: 'private', first_name: from.first_name };
    return { message: { from, chat: c, date: now(), ...content } };
  }

  /** Build (without queueing) a text-message update; a leading `/command` gets a `bot_command` entity. */
  textUpdate(user: EmuUser, text: string, chat?: EmuChat): Json {
    const cmd = /^\/\S+/.exec(text);
    const entities = cmd ? [{ type: 'bot_command', offset: 0, length: cmd[0].length }] : undefined;
    return this.userMessage(user, chat, { text, ...(entities ? { entities } : {}) });
  }

  /** Push a text message from `user` (in their private chat unless `chat` is given). */
  sendText(user: EmuUser, text: string, chat?: EmuChat): Json {
    return this.pushUpdate(this.textUpdate(user, text, chat));
  }

  /**
   * Push a callback_query pressing `data` on `message` — by default the bot's latest visible message in
   * the user's private chat having a button with that callback_data, else its latest message.
   */
  pressButton(user: EmuUser, data: string, message?: Json): Json {
    const sent = this.sentMessages(user.id).reverse();
    const hasButton = (m: Json) => ((m.reply_markup?.inline_keyboard ?? []) as Json[][]).flat().some((b) => b.callback_data === data);
    const msg = message ?? sent.find(hasButton) ?? sent[0];
    if (!msg) throw new Error(`pressButton: the bot has sent no message to chat ${user.id}`);
    const query = { id: `${Date.now()}${++this.seq}`, from: BotApiEmulator.userOf(user), message: msg, chat_instance: `-${msg.chat.id}`, data };
    return this.pushUpdate({ callback_query: query });
  }

  /** Register a file and push a message from `user` carrying it as a `document`. */
  sendDocument(user: EmuUser, doc: { content: Buffer; fileName: string; mime?: string; caption?: string }, chat?: EmuChat): Json {
    const document = this.addFile(doc.content, doc.fileName, doc.mime);
    return this.pushUpdate(this.userMessage(user, chat, { document, ...(doc.caption ? { caption: doc.caption } : {}) }));
  }

  /**
   * POST an update (ids assigned as in `pushUpdate`, not queued) as JSON to a webhook `url`, with the
   * `X-Telegram-Bot-Api-Secret-Token` header when `secret` is given. `body` is parsed if it is a JSON object.
   */
  async postWebhookUpdate(url: string, update: Json, secret?: string): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['X-Telegram-Bot-Api-Secret-Token'] = secret;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(this.prepare(update)) }).catch((err: Error) => {
      // undici says only "fetch failed": name the socket's error (ECONNRESET, a connect timeout).
      throw new Error(`POST ${url}: ${String((err.cause as Error | undefined)?.message ?? err.message)}`, { cause: err });
    });
    return { status: res.status, body: fieldValue(await res.text()) };
  }
}
