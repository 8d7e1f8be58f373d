/**
 * A problem with the file as a whole (not a row): wrong type, missing columns, too many rows.
 * The message is Chinese and tells the user what to do; it is safe to show as is.
 */
export class RosterFormatError extends Error {
  override readonly name = 'RosterFormatError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
