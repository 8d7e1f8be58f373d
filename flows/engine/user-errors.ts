import { BUSY_MESSAGE, type ErrorKind, type UserError } from '../../server/errors';

// Every user error's message already says, in Chinese, what went wrong and what to do, so the
// chat shows it whatever the kind; busy is the one notice that nothing was saved.
const shown = (err: UserError) => err.message;

/** How the chat answers each kind of user error: the one place a kind becomes reply text. */
export const CHAT_ANSWER: Record<ErrorKind, (err: UserError) => string> = {
  invalid: shown,
  not_found: shown,
  not_allowed: shown,
  conflict: shown,
  limited: shown,
  unauthenticated: shown,
  busy: () => BUSY_MESSAGE,
};

/** The text the chat answers a user error with. */
export function userErrorText(err: UserError): string {
  return CHAT_ANSWER[err.kind](err);
}
