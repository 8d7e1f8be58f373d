/** What the API sends (server/http/api/*), as the pages read it. */

export type OrgKind = string;

export interface OrgRef {
  id: number;
  fullName: string;
  shortName?: string;
  kind: OrgKind;
  kindLabel: string;
}

export interface Me {
  person: {
    id: number;
    name: string;
    idMasked: string;
    gender: string | null;
    birthDate: string | null;
    role: string;
    phone: string | null;
    ethnicity: string | null;
    education: string | null;
    joinedLeagueAt: string | null;
    branch: { id: number; fullName: string } | null;
    verification: { state: 'pending' | 'verified' | 'failed'; label: string; reason: string | null };
    completeness: { complete: boolean; missing: string[] };
    posts: Array<{ orgShortName: string; title: string }>;
    adminOf: Array<{ fullName: string; kind: OrgKind }>;
  };
  isAdmin: boolean;
  session: { via: 'password' | 'telegram'; mustChangePassword: boolean; csrfToken: string };
}

export interface LoginResult {
  person: { id: number; name: string; idMasked: string };
  via: 'password' | 'telegram';
  mustChangePassword: boolean;
  csrfToken: string;
}

export interface SigninState {
  open: boolean;
  reason?: 'early' | 'over';
  opensAt?: string;
  closesAt?: string | null;
}

export interface ActivityItem {
  id: number;
  orgId: number;
  kind: string;
  kindLabel: string;
  title: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  organiser: string | null;
  notes: string | null;
  signin: SigninState;
  response?: 'pending' | 'registered' | 'declined';
  signedInAt?: string | null;
  orgName?: string;
}

export interface MyActivities {
  upcoming: ActivityItem[];
  registered: ActivityItem[];
  attended: ActivityItem[];
  absent: ActivityItem[];
}

export interface MonthLine {
  month: string;
  dueFen: number | null;
  category: string | null;
  paid: boolean;
}

export interface MyFees {
  ok: boolean;
  message?: string;
  branch?: { id: number; fullName: string };
  statement?: {
    year: number;
    asOfMonth: string;
    startMonth: string | null;
    months: MonthLine[];
    dueFen: number | null;
    paidFen: number;
    paidMonths: string[];
    owedMonths: string[];
    owedFen: number | null;
    current: { dueFen: number | null };
  };
  basis?: { category: string; rule: string | null; standard: string | null } | null;
  declared?: { category: string; wageFen: number | null } | null;
}

export interface TreeNode extends OrgRef {
  total: number;
  complete: number;
  hasChildren?: boolean;
}

export interface TreeView {
  roots: OrgRef[];
  node: TreeNode & { parentId: number | null; kinds: Array<{ kind: string; kindLabel: string; complete: number; incomplete: number }> };
  children: { items: TreeNode[]; total: number; page: number; pages: number };
  incomplete: { rows: Array<{ id: number; fullName: string; kindLabel: string; reason: string }>; total: number; page: number; pages: number };
}

export interface PersonRow {
  id: number;
  name: string;
  idMasked: string;
  role?: string;
  branchName: string | null;
  verificationState?: string;
  verificationLabel?: string;
  missing?: string[];
  owedFen?: number | null;
  owedMonths?: string[];
}

export interface PeoplePage {
  org: { id: number; fullName: string };
  filter: string;
  items: PersonRow[];
  total: number;
  page: number;
  pages: number;
}

export interface PickableOrg extends OrgRef {
  people: number;
  picked: number;
}

export interface Pickable {
  id: number;
  name: string;
  idMasked: string;
  orgName: string | null;
  picked: boolean;
}

export interface PickerView {
  activity: { id: number; title: string };
  org: PickableOrg;
  parentId: number | null;
  children: PickableOrg[];
  people: Pickable[];
  peopleTotal: number;
  page: number;
  pageSize: number;
  picked: number;
  max: number;
}

export interface Application {
  id: number;
  kindLabel: string;
  stage: string;
  stageLabel: string;
  org: { id: number; fullName: string };
  homeOrgName: string | null;
  homeOrgFound: boolean | null;
  person: { id: number; name: string; idMasked: string; gender: string | null; birthDate: string | null; phone: string | null; joinedLeagueAt: string | null };
  role: string | null;
  roleLabel: string | null;
  statement: string | null;
  reason: string | null;
  submittedAt: string;
  moves: Array<{ to: string; label: string }>;
}
