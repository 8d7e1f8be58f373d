import { z } from 'zod';

/** A positive database id from a path or query parameter. */
export const id = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
/** A page number from 0, as the query gives it. */
export const page = z.coerce.number().int().min(0).max(100_000).default(0);
