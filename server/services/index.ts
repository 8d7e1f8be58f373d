import { Accounts } from './accounts/accounts';
import { Activities } from './activities/activities';
import { ActivityParticipants } from './activities/activity-participants';
import { AdminCodes } from './organisations/admin-codes';
import { AdminRegistration } from './applications/admin-registration';
import { Announcements } from './messaging/announcements';
import { Admins } from './organisations/admins';
import { Applications } from './applications/applications';
import { AuditTrail } from './audit/audit-trail';
import { BackgroundJobs } from './platform/background-jobs';
import { ChatBindings } from './accounts/chat-bindings';
import { ChatLocks } from './platform/chat-locks';
import { Conversations } from './platform/conversations';
import type { ServiceDeps } from './deps';
import { EntryProgress } from './organisations/entry-progress/entry-progress';
import { Fees } from './fees';
import { Identity } from './accounts/identity';
import { Invitations } from './organisations/invitations';
import { JobLocks } from './platform/job-locks';
import { Members } from './membership/members';
import { NoticesData } from './messaging/notices-data';
import { OrgInfo } from './organisations/org-info';
import { Organisations } from './organisations/organisations';
import { Outbox } from './messaging/outbox';
import { PasswordResets } from './accounts/password-resets';
import { Posts } from './organisations/posts';
import { ProfileDetails } from './membership/profile-details';
import { ProcessedUpdates } from './platform/processed-updates';
import { Reminders } from './messaging/reminders';
import { Signin } from './activities/signin';

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
