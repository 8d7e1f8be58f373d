/** The chat edge turns an error's kind into reply text in one place (flows/engine/user-errors.ts). */
import { CHAT_ANSWER, userErrorText } from '../../../flows/engine/user-errors';
import { BUSY_MESSAGE, BusyError, ERROR_KINDS, UserError } from '../../../server/errors';

describe('error kinds at the chat edge', () => {
  it('every kind but busy shows its Chinese message, which says what to do; busy says nothing was saved', () => {
    expect(Object.keys(CHAT_ANSWER).sort()).toEqual([...ERROR_KINDS].sort());
    for (const kind of ERROR_KINDS.filter((k) => k !== 'busy')) {
      expect(userErrorText(new UserError(kind, 'NO_CHANGE', '填写的内容与原来相同，无需修改'))).toBe('填写的内容与原来相同，无需修改');
    }
    expect(userErrorText(new BusyError('a test'))).toBe(BUSY_MESSAGE);
  });
});
