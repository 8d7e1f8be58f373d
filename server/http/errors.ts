import type { Context, Next } from 'koa';
import { ZodError } from 'zod';
import { BUSY_MESSAGE, isBusy, isUserError, type ErrorKind } from '../errors';
import type { Logger } from '../logger';

/** The HTTP status each kind of user error is answered with: the one place a kind becomes a status. */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  not_allowed: 403,
  not_found: 404,
  conflict: 409,
  limited: 429,
  busy: 503,
};

/**
 * The one error boundary: every error becomes the same JSON shape. Only user-fixable and
 * client errors show their message; anything else is logged and answered generically.
 */
export function errorBoundary(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'NOT_FOUND', message: '没有这个地址' } };
      }
    } catch (err) {
      if (err instanceof ZodError) {
        ctx.status = 400;
        ctx.body = { error: { code: 'BAD_REQUEST', message: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } };
      } else if (isUserError(err)) {
        ctx.status = STATUS_OF_KIND[err.kind];
        ctx.body = { error: { code: err.code, message: err.message } };
      } else if (isBusy(err)) {
        logger.warn({ err: (err as Error).message, path: ctx.path }, 'request answered busy');
        ctx.status = 503;
        ctx.set('Retry-After', '2');
        ctx.body = { error: { code: 'BUSY', message: BUSY_MESSAGE } };
      } else {
        const e = err as { status?: number; expose?: boolean; message?: string };
        const status = typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
        if (status >= 500) logger.error({ err, path: ctx.path }, 'request failed');
        ctx.status = status;
        ctx.body = {
          error: {
            code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
            message: e.expose && e.message ? e.message : status >= 500 ? '服务器内部错误' : '请求无效',
          },
        };
      }
    }
  };
}
