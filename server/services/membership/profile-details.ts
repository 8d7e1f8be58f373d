import type { Transaction } from 'sequelize';
import { Person } from '../../../models/Person';
import { UserError } from '../../errors';
import type { Admins } from '../organisations/admins';
import { recordAudit } from '../audit/audit';
import type { ServiceDeps } from '../deps';
import { requirePersonEditRights } from './person-rights';
import { parseDate, parseEducation, parseEthnicity, parsePhone, todayInChina } from './roster-import/rows/values';

/** Profile fields besides name and ID number; none of them touches verification (R5 depends on name + ID only). */
export interface DetailsEdit {
  phone?: string;
  ethnicity?: string;
  education?: string;
  /** 入团时间, any common way of writing a day. */
  joinedLeagueAt?: string;
}

type DetailKey = keyof DetailsEdit;

/** Edits of the other profile fields (phone, 民族, 学历, 入团时间), checked as the import checks them, audited. */
export class ProfileDetails {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly admins: Admins,
  ) {}

  /** Checks one field's value, or throws a UserError that says what to type. */
  parse(field: DetailKey, raw: string, birthDate: string): string {
    const value = raw.trim() || null;
    const today = todayInChina(this.deps.now());
    const parsed =
      field === 'phone'
        ? parsePhone(value)
        : field === 'ethnicity'
          ? parseEthnicity(value)
          : field === 'education'
            ? parseEducation(value)
            : parseDate(value, { label: '入团时间', today, min: birthDate });
    if (!parsed.ok) throw UserError.invalid('FIELD_INVALID', parsed.message);
    return parsed.value;
  }

  /** Saves the given fields for the person (themself, or an admin who manages them). */
  async edit(actorPersonId: number, personId: number, edit: DetailsEdit, t?: Transaction): Promise<Person> {
    return this.deps.db.transaction(async (tx) => {
      const person = await Person.findByPk(personId, { transaction: tx, lock: this.deps.db.lockFor(tx) });
      if (!person) throw UserError.invalid('PERSON_NOT_FOUND', '账号不存在');
      await requirePersonEditRights(this.admins, actorPersonId, person, tx);
      const before: Record<string, string | null> = {};
      const after: Record<string, string> = {};
      for (const field of Object.keys(edit) as DetailKey[]) {
        const raw = edit[field];
        if (raw === undefined) continue;
        const value = this.parse(field, raw, person.birthDate);
        if (person[field] === value) continue;
        before[field] = person[field];
        after[field] = value;
      }
      if (!Object.keys(after).length) throw UserError.invalid('NO_CHANGE', '填写的内容与原来相同，无需修改');
      await person.update(after, { transaction: tx });
      await recordAudit({ actorPersonId, orgId: person.branchId, action: 'person.details.edit', targetType: 'person', targetId: person.id, before, after }, tx);
      return person;
    }, t);
  }
}
