import { type Choice, webAppLink } from '../flows/engine/types';

/** Telegram's limit on callback data, in bytes. */
const MAX_CALLBACK_BYTES = 64;

/** Where app buttons (appButton) lead: the web app's public address (none: they are left out), and whether the chat is private. */
export interface AppTarget {
  url?: string;
  privateChat: boolean;
}

type InlineButton = { text: string; callback_data: string } | { text: string; web_app: { url: string } } | { text: string; url: string };

/**
 * Button rows → an inline keyboard (Bot API JSON), or undefined without buttons. An app button
 * opens the Mini App in a private chat; Telegram refuses web_app buttons elsewhere, so in a group
 * it is a plain link to the same address.
 */
export function inlineKeyboard(choices: Choice[][] | undefined, app: AppTarget = { privateChat: true }) {
  const rows = (choices ?? [])
    .map((row) =>
      row.flatMap((c): InlineButton[] => {
        if (c.app !== undefined) {
          if (!app.url) return [];
          const url = webAppLink(app.url, c.app);
          return [app.privateChat ? { text: c.label, web_app: { url } } : { text: c.label, url }];
        }
        if (Buffer.byteLength(c.value) > MAX_CALLBACK_BYTES) throw new Error(`Button value over 64 bytes: ${c.value}`);
        return [{ text: c.label, callback_data: c.value }];
      }),
    )
    .filter((row) => row.length);
  return rows.length ? { inline_keyboard: rows } : undefined;
}

/** `/start@SomeBot args` → { name: 'start', args: 'args' }; null when the text is no command. */
export function parseCommand(text: string): { name: string; args: string } | null {
  const m = /^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { name: m[1].toLowerCase(), args: (m[2] ?? '').trim() } : null;
}

/** Telegram's longest message text and document caption. */
export const MAX_MESSAGE_CHARS = 4096;
export const MAX_CAPTION_CHARS = 1024;
/** Parts a long reply is sent in at most; the rest is left out with a note. */
const MAX_PARTS = 4;
const CUT_NOTE = '\n（内容过长，其余部分已省略。）';

/**
 * A text as messages Telegram takes: parts of at most `max` characters, cut at a line break
 * where there is one (never inside a character), at most four parts, the last noting a cut.
 */
export function splitText(text: string, max = MAX_MESSAGE_CHARS): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max && parts.length < MAX_PARTS) {
    let at = rest.lastIndexOf('\n', max);
    if (at < max / 2) at = max;
    if (/[\uD800-\uDBFF]/.test(rest[at - 1] ?? '')) at--; // not between the halves of a character
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest.length <= max) return [...parts, rest];
  const last = parts.pop()!;
  return [...parts, cutText(`${last}${rest}`, max)];
}

/** A text cut to at most `max` characters (never inside a character), with a note when cut. */
export function cutText(text: string, max = MAX_MESSAGE_CHARS): string {
  if (text.length <= max) return text;
  let at = max - CUT_NOTE.length;
  if (/[\uD800-\uDBFF]/.test(text[at - 1] ?? '')) at--;
  return text.slice(0, at) + CUT_NOTE;
}
