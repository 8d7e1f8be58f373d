import type { z } from 'zod';

/**
 * Sets a route's JSON answer, typed by its response schema (contract.ts): a body the schema
 * does not describe does not compile. Not parsed here (the API tests parse every answer).
 * @example send(ctx, removeResult, { total })
 */
export function send<S extends z.ZodType>(ctx: { body: unknown; status: number }, schema: S, body: z.input<S>, status?: number): void {
  if (status !== undefined) ctx.status = status;
  ctx.body = body;
}
