import type { Transaction } from 'sequelize';
import type { Application } from '../../../models/Application';
import { Organisation } from '../../../models/Organisation';
import { Person } from '../../../models/Person';
import type { ApplicationParts } from './application-data';

/** Loads the people and organisations applications point at, in two queries. */
export async function loadParts(apps: Application[], t?: Transaction): Promise<ApplicationParts[]> {
  if (!apps.length) return [];
  const people = await Person.findAll({ where: { id: apps.map((a) => a.personId) }, transaction: t });
  const orgIds = apps.flatMap((a) => (a.homeOrgId ? [a.orgId, a.homeOrgId] : [a.orgId]));
  const orgs = await Organisation.findAll({ where: { id: orgIds }, transaction: t });
  const person = new Map(people.map((p) => [p.id, p]));
  const org = new Map(orgs.map((o) => [o.id, o]));
  return apps
    .filter((a) => person.has(a.personId) && org.has(a.orgId))
    .map((a) => ({ app: a, person: person.get(a.personId)!, org: org.get(a.orgId)!, homeOrg: a.homeOrgId ? (org.get(a.homeOrgId) ?? null) : null }));
}
