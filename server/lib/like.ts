/**
 * Text a person typed, searched for as it is inside a LIKE pattern: `%` and `_` in it match
 * themselves, not "anything" (a search for `%` once listed every organisation). Every pattern
 * made here escapes with a backslash, and every LIKE that takes one says {@link LIKE_ESCAPE}:
 * SQLite has no escape character unless told, PostgreSQL's default is the same backslash.
 */
import { literal, type Sequelize, type Utils } from 'sequelize';

/** The clause that follows `LIKE <pattern>` for the patterns made here. */
export const LIKE_ESCAPE = "ESCAPE '\\'";

/** `50%_off` → `50\%\_off`: the text matches itself only. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** A pattern for values that contain `text` anywhere. */
export const containsPattern = (text: string): string => `%${escapeLike(text)}%`;

/**
 * A where condition for Sequelize's finders: `column` contains `text` as typed. Op.substring
 * does not escape what it is given, so this is written out, the text quoted by `sequelize`.
 * @example Organisation.findAll({ where: { [Op.and]: [whereContains(sequelize, 'name_key', q)] } })
 */
export function whereContains(sequelize: Sequelize, column: string, text: string): Utils.Literal {
  const quoted = sequelize.getQueryInterface().quoteIdentifier(column);
  return literal(`${quoted} LIKE ${sequelize.escape(containsPattern(text))} ${LIKE_ESCAPE}`);
}
