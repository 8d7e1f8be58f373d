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
