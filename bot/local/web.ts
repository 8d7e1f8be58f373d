import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { z } from 'zod';
import type { Reply } from '../../flows/types';
import type { LocalChannel, LocalInput } from './local-channel';

const PAGE = fs.readFileSync(path.join(__dirname, 'web-chat.html'), 'utf8');
const MAX_FILE_BYTES = 20 * 1024 * 1024;

const messageSchema = z.object({
  user: z.string().regex(/^[\w.-]{1,64}$/, 'user: 1-64 letters, digits, _ . -'),
  text: z.string().max(4096).optional(),
  choice: z.string().max(64).optional(),
  file: z.object({ name: z.string().max(255), base64: z.string().max(Math.ceil((MAX_FILE_BYTES * 4) / 3) + 4), mime: z.string().max(100).optional() }).optional(),
});

function present(r: Reply) {
  return { text: r.text, choices: r.choices, file: r.file && { name: r.file.name, mime: r.file.mime, base64: r.file.data.toString('base64') } };
}

/** The local web chat: a page on localhost and its JSON API, over the same flows as Telegram. */
export function webChatRouter(local: LocalChannel): Router {
  const router = new Router();
  router.get('/chat', (ctx) => {
    ctx.type = 'html';
    ctx.body = PAGE;
  });
  router.post('/chat/api/message', async (ctx) => {
    const body = messageSchema.parse(ctx.request.body);
    const input: LocalInput = body.file
      ? { file: { name: body.file.name, data: Buffer.from(body.file.base64, 'base64'), mime: body.file.mime } }
      : body.choice !== undefined
        ? { choice: body.choice }
        : { text: body.text ?? '' };
    const out = await local.handle(body.user, input);
    ctx.body = { replies: out.replies.map(present), progress: out.progress, menu: out.menu, hideInput: out.hideInput };
  });
  router.get('/chat/api/inbox', async (ctx) => {
    const user = z.string().regex(/^[\w.-]{1,64}$/).parse(ctx.query.user);
    ctx.body = { replies: (await local.inbox(user)).map(present) };
  });
  return router;
}
