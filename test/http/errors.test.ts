/**
 * The HTTP edge turns an error's kind into a status in one table. That every kind has a status
 * is checked by the compiler (a Record over ErrorKind); here, that each status is the one those
 * errors were answered with before they had kinds, so no client sees a change.
 */
import { BusyError, ERROR_KINDS, ForbiddenError, UserError } from '../../server/errors';
import { STATUS_OF_KIND } from '../../server/http/errors';

describe('error kinds at the HTTP edge', () => {
  it('every kind has the status it had before kinds: invalid 400, unauthenticated 401, not allowed 403, not found 404, conflict 409, limited 429, busy 503', () => {
    expect(Object.keys(STATUS_OF_KIND).sort()).toEqual([...ERROR_KINDS].sort());
    expect(STATUS_OF_KIND).toEqual({ invalid: 400, unauthenticated: 401, not_allowed: 403, not_found: 404, conflict: 409, limited: 429, busy: 503 });
  });

  it('the error classes carry a kind and a code, never a status', () => {
    expect(new ForbiddenError('不行')).toMatchObject({ kind: 'not_allowed', code: 'FORBIDDEN', message: '不行' });
    expect(new BusyError('a test')).toMatchObject({ kind: 'busy', code: 'BUSY' });
    expect(UserError.conflict('DUPLICATE_ACCOUNT', '已注册')).toMatchObject({ kind: 'conflict', code: 'DUPLICATE_ACCOUNT', message: '已注册' });
    expect(UserError.invalid('NO_CHANGE', '无需修改')).not.toHaveProperty('status');
  });
});
