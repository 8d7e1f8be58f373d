/** Outcome of parsing one field: the value, or a Chinese message saying what to fix. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
