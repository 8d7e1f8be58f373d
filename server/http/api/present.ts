/**
 * What the API sends: plain JSON of what services return, ID numbers only masked, and never an
 * activity's sign-in code or link token (a member who has them could sign in from anywhere).
 */
import type { Activity } from '../../../models/Activity';
import { ACTIVITY_KIND_LABELS } from '../../services/activities/activities';
import type { ApplicationParts } from '../../services/applications/application-data';
import { dataOf } from '../../services/applications/application-data';
import { APPLICATION_KIND_LABELS, MOVE_LABELS, nextStage, STAGE_LABELS } from '../../services/applications/application-stages';
import { KIND_LABELS } from '../../services/organisations/organisations';
import { PERSON_ROLE_LABELS } from '../../services/membership/person-labels';
import { signinState } from '../../services/activities/signin';
import type { OrgKind } from '../../../models/Organisation';
import type { PersonRole } from '../../../models/Person';
import type { ActivityView, OrgRef } from './schema';
import type { Application } from './applications/schema';

export { VERIFICATION_LABELS } from '../../services/membership/person-labels';

/** An organisation's name and kind, with the kind's Chinese name. */
export function orgView(o: { id: number; fullName: string; shortName?: string; kind: OrgKind }): OrgRef {
  return { id: o.id, fullName: o.fullName, ...(o.shortName !== undefined ? { shortName: o.shortName } : {}), kind: o.kind, kindLabel: KIND_LABELS[o.kind] };
}

/** An activity as members and admins see it, with where its sign-in stands now. */
export function activityView(a: Activity, now: Date): ActivityView {
  const state = signinState(a, now);
  return {
    id: a.id,
    orgId: a.orgId,
    kind: a.kind,
    kindLabel: ACTIVITY_KIND_LABELS[a.kind],
    title: a.title,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    place: a.place,
    organiser: a.organiser,
    notes: a.notes,
    signin: state.open
      ? { open: true, closesAt: state.closesAt?.toISOString() ?? null }
      : state.reason === 'early'
        ? { open: false, reason: 'early', opensAt: state.opensAt.toISOString() }
        : { open: false, reason: 'over' },
  };
}

/** An application as its admins see it, with the moves they may make next. */
export function applicationView({ app, person, org, homeOrg }: ApplicationParts): Application {
  const data = dataOf(app);
  const next = nextStage(app.kind, app.stage);
  return {
    id: app.id,
    kind: app.kind,
    kindLabel: APPLICATION_KIND_LABELS[app.kind],
    stage: app.stage,
    stageLabel: STAGE_LABELS[app.stage],
    org: { id: org.id, fullName: org.fullName },
    homeOrgName: app.homeOrgName ?? null,
    homeOrgFound: app.homeOrgName ? !!homeOrg : null,
    person: {
      id: person.id,
      name: person.name,
      idMasked: person.idMasked,
      gender: person.gender,
      birthDate: person.birthDate,
      phone: person.phone,
      joinedLeagueAt: app.kind === 'join' ? null : person.joinedLeagueAt,
    },
    role: data.role ?? null,
    roleLabel: data.role ? (PERSON_ROLE_LABELS[data.role as PersonRole] ?? data.role) : null,
    statement: data.statement ?? null,
    reason: app.reason ?? null,
    submittedAt: app.createdAt.toISOString(),
    moves: next
      ? [
          { to: next, label: MOVE_LABELS[next] },
          { to: 'rejected', label: MOVE_LABELS.rejected },
        ]
      : [],
  };
}
