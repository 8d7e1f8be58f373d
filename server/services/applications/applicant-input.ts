/**
 * Checks of what an applicant types (R8, R9, R9a), shared by the three ways in. Each throws
 * a UserError that says what to change, so a flow can ask again and the service checks the
 * same once more before writing.
 */
import { UserError } from '../../errors';
import { checkNewPassword } from '../accounts/accounts';
import { parseDate, parseName, parsePhone, todayInChina } from '../membership/roster-import/rows/values';

/** 姓名: 2-20 Chinese characters (`·` inside minority names). */
export function requireName(raw: string): string {
  const name = parseName(raw.trim() || null);
  if (!name.ok) throw UserError.invalid('NAME_INVALID', name.message);
  return name.value;
}

/** 手机号码: an 11-digit mainland mobile number. */
export function requirePhone(raw: string): string {
  const phone = parsePhone(raw.trim() || null);
  if (!phone.ok) throw UserError.invalid('PHONE_INVALID', phone.message);
  return phone.value;
}

/** 入团时间: a real day between the birth date and today, as `YYYY-MM-DD`. */
export function requireJoinedDate(raw: string, birthDate: string, now: Date): string {
  const joined = parseDate(raw.trim() || null, { label: '入团时间', today: todayInChina(now), min: birthDate });
  if (!joined.ok) throw UserError.invalid('JOINED_INVALID', joined.message);
  return joined.value;
}

/** A password chosen by the applicant (8-64, letters and digits, not the R3 initial one). */
export function requirePassword(password: string, idNumber: string): string {
  const problem = checkNewPassword(password, idNumber);
  if (problem) throw UserError.invalid('PASSWORD_WEAK', problem);
  return password;
}

/** Free text with a length range, trimmed (statements, organisation names, reasons). */
export function requireText(raw: string, label: string, min: number, max: number): string {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text.length < min) throw UserError.invalid('TEXT_TOO_SHORT', `${label}至少 ${min} 个字，请补充后重新输入`);
  if (text.length > max) throw UserError.invalid('TEXT_TOO_LONG', `${label}最多 ${max} 个字（现在 ${text.length} 个），请精简后重新输入`);
  return text;
}
