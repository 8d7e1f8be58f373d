import type { Choice } from '../flows/types';

/** Telegram's limit on callback data, in bytes. */
const MAX_CALLBACK_BYTES = 64;

/** Button rows → an inline keyboard (Bot API JSON), or undefined without buttons. */
export function inlineKeyboard(choices: Choice[][] | undefined) {
  if (!choices?.length) return undefined;
  return {
    inline_keyboard: choices.map((row) =>
      row.map((c) => {
        if (Buffer.byteLength(c.value) > MAX_CALLBACK_BYTES) throw new Error(`Button value over 64 bytes: ${c.value}`);
        return { text: c.label, callback_data: c.value };
      }),
    ),
  };
}

/** `/start@SomeBot args` → { name: 'start', args: 'args' }; null when the text is no command. */
export function parseCommand(text: string): { name: string; args: string } | null {
  const m = /^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { name: m[1].toLowerCase(), args: (m[2] ?? '').trim() } : null;
}
