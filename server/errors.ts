/**
 * A problem the user can fix, with a Chinese message meant for them. Anything else that is
 * thrown is a bug: logged, and answered with a polite generic reply.
 */
export class UserError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `ADMIN_LIMIT`. */
    readonly code: string,
    /** Chinese message that says what went wrong and what to do. */
    message: string,
    /** HTTP status when the error reaches the HTTP boundary. */
    readonly status = 400,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Thrown when an actor lacks the right to act on something. */
export class ForbiddenError extends UserError {
  constructor(message: string) {
    super('FORBIDDEN', message, 403);
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
    super('BUSY', BUSY_MESSAGE, 503);
    this.name = 'BusyError';
  }
}

/** True for a wait that ran out (BusyError, or the database's DatabaseBusyError / TransactionDeadlineError). */
export function isBusy(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return err instanceof BusyError || name === 'DatabaseBusyError' || name === 'TransactionDeadlineError';
}
