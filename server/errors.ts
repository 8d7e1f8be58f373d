import type { ErrorCode } from './error-codes';

export type { ErrorCode } from './error-codes';

/**
 * What kind of refusal a user error is. The domain says only this; each edge decides how to
 * answer a kind (server/http/errors.ts: an HTTP status; flows/engine/user-errors.ts: a reply).
 */
export const ERROR_KINDS = ['invalid', 'not_found', 'not_allowed', 'conflict', 'limited', 'unauthenticated', 'busy'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * A problem the user can fix, with a Chinese message meant for them. Anything else that is
 * thrown is a bug: logged, and answered with a polite generic reply.
 *
 * @example throw UserError.conflict('DUPLICATE_ACCOUNT', '该身份证号码已注册');
 */
export class UserError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable machine-readable code, e.g. `ADMIN_LIMIT`. */
    readonly code: ErrorCode,
    /** Chinese message that says what went wrong and what to do. */
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** The input is wrong or does not fit the rules: change it and try again. */
  static invalid(code: ErrorCode, message: string): UserError {
    return new UserError('invalid', code, message);
  }

  /** What was asked for does not exist. */
  static notFound(code: ErrorCode, message: string): UserError {
    return new UserError('not_found', code, message);
  }

  /** The actor may not do this (see also ForbiddenError). */
  static notAllowed(code: ErrorCode, message: string): UserError {
    return new UserError('not_allowed', code, message);
  }

  /** It clashes with what is already there: a duplicate, or a decision already taken. */
  static conflict(code: ErrorCode, message: string): UserError {
    return new UserError('conflict', code, message);
  }

  /** Too many attempts: wait, then try again. */
  static limited(code: ErrorCode, message: string): UserError {
    return new UserError('limited', code, message);
  }

  /** Who is asking is not proven: no or an expired session, or credentials that do not match. */
  static unauthenticated(code: ErrorCode, message: string): UserError {
    return new UserError('unauthenticated', code, message);
  }
}

/** Thrown when an actor lacks the right to act on something. */
export class ForbiddenError extends UserError {
  constructor(message: string) {
    super('not_allowed', 'FORBIDDEN', message);
    this.name = 'ForbiddenError';
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** What a user is told when the system could not get to their request in time: nothing was saved. */
export const BUSY_MESSAGE = '系统繁忙，您的操作没有保存，请稍等片刻后再试。';

/**
 * The system had no turn for the work within its deadline (the database, password hashing, a
 * chat's lock): nothing was done, and the user may simply try again.
 */
export class BusyError extends UserError {
  constructor(readonly waitingFor: string) {
    super('busy', 'BUSY', BUSY_MESSAGE);
    this.name = 'BusyError';
  }
}

/** True for a wait that ran out (BusyError, or the database's DatabaseBusyError / TransactionDeadlineError). */
export function isBusy(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return err instanceof BusyError || name === 'DatabaseBusyError' || name === 'TransactionDeadlineError';
}
