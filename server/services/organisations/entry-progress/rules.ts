/**
 * R17: when an organisation has completed entry (完成录入), by its kind, and why not.
 *
 * Who counts: in a branch, the members and cadres whose membership it holds (people.branch_id,
 * roles 团员 and 团干部) and anyone holding a post (职务) in it; elsewhere, the cadres: everyone
 * holding a post in it (named secretary R14, accepted invitation R13, post given on import or
 * entry). Being its admin does not make one a cadre: an admin account need not hold a post.
 * A person counts once however many posts they hold there.
 */
import type { OrgKind } from '../../../../models/Organisation';

/** The people an organisation counts for R17 and how many of them are incomplete (R16). */
export interface OrgHeadcount {
  /** Members and cadres (a branch) or cadres (any other kind), each once. */
  people: number;
  /** Of them, 团员 lacking a required field (only a branch has members). */
  incompleteMembers: number;
  /** Of them, 团干部 lacking a required field. */
  incompleteCadres: number;
}

/**
 * The fewest people each kind needs (R17): 3 members or cadres in a branch, 2 cadres in a
 * committee, working committee or general branch. R17 asks of a leading body only that every
 * cadre in it is complete; one with no cadre entered at all is taken as not done (nothing
 * has been checked), so it needs 1.
 */
export const MIN_PEOPLE: Record<OrgKind, number> = {
  leading_body: 1,
  committee: 2,
  working_committee: 2,
  general_branch: 2,
  branch: 3,
};

/** What keeps an organisation from completion; empty when it is complete. */
export interface Shortfall {
  /** How many more people must be entered (0: enough). */
  missingPeople: number;
  /** What those people are: 团员 (a branch may count members) or 团干部. */
  missingAs: 'member' | 'cadre';
  incompleteMembers: number;
  incompleteCadres: number;
}

/** R17 for one organisation. */
export function shortfallOf(kind: OrgKind, count: OrgHeadcount): Shortfall {
  return {
    missingPeople: Math.max(0, MIN_PEOPLE[kind] - count.people),
    missingAs: kind === 'branch' ? 'member' : 'cadre',
    incompleteMembers: count.incompleteMembers,
    incompleteCadres: count.incompleteCadres,
  };
}

/** True when nothing is short (R17). */
export function isComplete(s: Shortfall): boolean {
  return s.missingPeople === 0 && s.incompleteMembers === 0 && s.incompleteCadres === 0;
}

/** Why an organisation is not complete, in words (`还差1名团员；2名团干部信息不完整`); empty when it is. */
export function shortfallText(s: Shortfall): string {
  const parts: string[] = [];
  if (s.missingPeople) parts.push(`还差${s.missingPeople}名${s.missingAs === 'member' ? '团员' : '团干部'}`);
  if (s.incompleteMembers) parts.push(`${s.incompleteMembers}名团员信息不完整`);
  if (s.incompleteCadres) parts.push(`${s.incompleteCadres}名团干部信息不完整`);
  return parts.join('；');
}
