import { Accounts } from './accounts';
import { Activities } from './activities';
import { ActivityParticipants } from './activity-participants';
import { AdminCodes } from './admin-codes';
import { AdminRegistration } from './admin-registration';
import { Announcements } from './announcements';
import { Admins } from './admins';
import { Applications } from './applications';
import { AuditTrail } from './audit-trail';
import { BackgroundJobs } from './background-jobs';
import { ChatBindings } from './chat-bindings';
import { ChatLocks } from './chat-locks';
import { Conversations } from './conversations';
import type { ServiceDeps } from './deps';
import { EntryProgress } from './entry-progress/entry-progress';
import { Fees } from './fees';
import { Identity } from './identity';
import { Invitations } from './invitations';
import { JobLocks } from './job-locks';
import { Members } from './members';
import { NoticesData } from './notices-data';
import { OrgInfo } from './org-info';
import { Organisations } from './organisations';
import { Outbox } from './outbox';
import { PasswordResets } from './password-resets';
import { Posts } from './posts';
import { ProfileDetails } from './profile-details';
import { ProcessedUpdates } from './processed-updates';
import { Reminders } from './reminders';
import { Signin } from './signin';

/** Every domain service, built once from the same dependencies. */
export interface Services {
  deps: ServiceDeps;
  accounts: Accounts;
  adminCodes: AdminCodes;
  adminRegistration: AdminRegistration;
  auditTrail: AuditTrail;
  backgroundJobs: BackgroundJobs;
  entryProgress: EntryProgress;
  members: Members;
  admins: Admins;
  bindings: ChatBindings;
  chatLocks: ChatLocks;
  conversations: Conversations;
  jobLocks: JobLocks;
  organisations: Organisations;
  outbox: Outbox;
  passwordResets: PasswordResets;
  posts: Posts;
  updates: ProcessedUpdates;
  identity: Identity;
  profileDetails: ProfileDetails;
  invitations: Invitations;
  orgInfo: OrgInfo;
  applications: Applications;
  activities: Activities;
  activityParticipants: ActivityParticipants;
  signin: Signin;
  reminders: Reminders;
  fees: Fees;
  announcements: Announcements;
  /** What notices are about, read when they are rendered. */
  notices: NoticesData;
}

export function createServices(deps: ServiceDeps): Services {
  const backgroundJobs = new BackgroundJobs(deps); // one instance: its 'queued' event starts the runner
  return {
    deps,
    accounts: new Accounts(deps),
    adminCodes: new AdminCodes(deps),
    adminRegistration: new AdminRegistration(deps),
    auditTrail: new AuditTrail(deps),
    backgroundJobs,
    entryProgress: new EntryProgress(deps, backgroundJobs),
    members: new Members(deps),
    admins: new Admins(deps),
    bindings: new ChatBindings(deps),
    chatLocks: new ChatLocks(deps),
    conversations: new Conversations(deps),
    jobLocks: new JobLocks(deps),
    organisations: new Organisations(deps),
    outbox: new Outbox(deps),
    passwordResets: new PasswordResets(deps),
    posts: new Posts(deps),
    updates: new ProcessedUpdates(deps),
    identity: new Identity(deps),
    profileDetails: new ProfileDetails(deps),
    invitations: new Invitations(deps),
    orgInfo: new OrgInfo(deps),
    applications: new Applications(deps),
    activities: new Activities(deps),
    activityParticipants: new ActivityParticipants(deps),
    signin: new Signin(deps),
    reminders: new Reminders(deps),
    fees: new Fees(deps),
    announcements: new Announcements(deps),
    notices: new NoticesData(),
  };
}
