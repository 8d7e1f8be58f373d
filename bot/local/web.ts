import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import type { Reply } from '../../flows/engine/types';
import { fromOtherSite } from '../../server/http/other-site';
import type { LocalChannel, LocalInput } from './local-channel';

const PAGE = fs.readFileSync(path.join(__dirname, 'web-chat.html'), 'utf8');
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const SESSION_COOKIE = 'zhtj_chat';
const SESSION_DAYS = 30;

const messageSchema = z.object({
  text: z.string().max(20_000).optional(),
  choice: z.string().max(64).optional(),
  file: z
    .object({ name: z.string().max(255), base64: z.string().max(Math.ceil((MAX_FILE_BYTES * 4) / 3) + 4), mime: z.string().max(100).optional() })
    .optional(),
});

function present(r: Reply) {
  return {
    text: r.text,
    choices: r.choices,
    inputHint: r.inputHint,
    file: r.file && { name: r.file.name, mime: r.file.mime, base64: r.file.data.toString('base64') },
  };
}

/**
 * The browser's chat user: a random session the server issued in a signed, HttpOnly cookie
 * (a new one when there is none). A client can never name the user it talks as.
 */
function sessionUser(ctx: Context): string {
  let token = ctx.cookies.get(SESSION_COOKIE, { signed: true });
  if (!token || !/^[A-Za-z0-9_-]{32}$/.test(token)) {
    token = crypto.randomBytes(24).toString('base64url');
    ctx.cookies.set(SESSION_COOKIE, token, {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secure,
      maxAge: SESSION_DAYS * 86_400_000,
      overwrite: true,
    });
  }
  return `web-${crypto.createHash('sha256').update(token).digest('base64url').slice(0, 24)}`;
}

/** Refuses a state-changing request sent from another site's page. */
async function sameOrigin(ctx: Context, next: Next): Promise<void> {
  if (fromOtherSite(ctx)) ctx.throw(403, '请求来源不正确');
  await next();
}

/** The chat page's address as the browser reached it (Koa's ctx.origin is the Origin header, absent from a GET). */
const chatUrl = (ctx: Context) => `${ctx.protocol}://${ctx.host}/chat`;

/** The local web chat: a page and its JSON API, over the same flows as Telegram; each browser its own session. */
export function webChatRouter(local: LocalChannel): Router {
  const router = new Router();
  router.get('/chat', (ctx) => {
    sessionUser(ctx);
    ctx.type = 'html';
    ctx.set('cache-control', 'no-store');
    ctx.body = PAGE;
  });
  router.post('/chat/api/message', sameOrigin, async (ctx) => {
    const user = sessionUser(ctx);
    const body = messageSchema.parse(ctx.request.body);
    const input: LocalInput = body.file
      ? { file: { name: body.file.name, data: Buffer.from(body.file.base64, 'base64'), mime: body.file.mime } }
      : body.choice !== undefined
        ? { choice: body.choice }
        : { text: body.text ?? '' };
    const out = await local.handle(user, input, chatUrl(ctx));
    ctx.body = { replies: out.replies.map(present), progress: out.progress, menu: out.menu, hideInput: out.hideInput };
  });
  router.get('/chat/api/inbox', async (ctx) => {
    const { replies, progress } = await local.inbox(sessionUser(ctx), chatUrl(ctx));
    ctx.body = { replies: replies.map(present), progress };
  });
  return router;
}
