import { Accounts } from './accounts/accounts';
import { Activities } from './activities/activities';
import { ActivityParticipants } from './activities/activity-participants';
import { AdminCodes } from './organisations/admin-codes';
import { AdminRegistration } from './applications/admin-registration';
import { AnnouncementRecipients } from './messaging/announcement-recipients';
import { Announcements } from './messaging/announcements';
import { Admins } from './organisations/admins';
import { ApplicationDecisions } from './applications/application-decisions';
import { Applications } from './applications/applications';
import { AuditTrail } from './audit/audit-trail';
import { BackgroundJobs } from './platform/background-jobs';
import { ChatBindings } from './accounts/chat-bindings';
import { ChatLocks } from './platform/chat-locks';
import { Conversations } from './platform/conversations';
import type { ServiceDeps } from './deps';
import { EntryProgress } from './organisations/entry-progress/entry-progress';
import { Fees } from './fees';
import { Identity, OfflineVerifier } from './accounts/identity';
import { Invitations } from './organisations/invitations';
import { JobLocks } from './platform/job-locks';
import { Members } from './membership/members';
import { NoticesData } from './messaging/notices-data';
import { OrgInfo } from './organisations/org-info';
import { OrgPeople } from './membership/org-people';
import { Organisations } from './organisations/organisations';
import { Outbox } from './messaging/outbox';
import { OutboxRows } from './messaging/outbox-rows';
import { PasswordResets } from './accounts/password-resets';
import { Posts } from './organisations/posts';
import { ProfileDetails } from './membership/profile-details';
import { ProcessedUpdates } from './platform/processed-updates';
import { RateLimits } from './platform/rate-limits';
import { Reminders } from './messaging/reminders';
import { Signin } from './activities/signin';
import { WebSessions } from './accounts/web-sessions';

/** Every domain service, each built once (by createServices) and shared by chat, HTTP and jobs. */
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
  /** The people of an organisation for its admins (the web app's lists and exports). */
  orgPeople: OrgPeople;
  /** Attempt limits (logins, codes, sign-ins): one set of counters for every way in. */
  rateLimits: RateLimits;
  /** The web app's browser sessions. */
  webSessions: WebSessions;
}

/**
 * The one place services are built: each once, its collaborators passed to its constructor
 * (`deps` first, then the services it uses), those it uses built before it. No service builds
 * another, so every caller shares one instance (one `queued` event, one set of counters).
 */
export function createServices(deps: ServiceDeps): Services {
  const admins = new Admins(deps);
  const bindings = new ChatBindings(deps);
  const organisations = new Organisations(deps);
  const posts = new Posts(deps);
  const rateLimits = new RateLimits(deps);
  const outbox = new Outbox(deps, bindings, new OutboxRows(deps));
  const backgroundJobs = new BackgroundJobs(deps, outbox); // one instance: its 'queued' event starts the runner
  const accounts = new Accounts(deps, rateLimits, bindings, outbox);
  const adminCodes = new AdminCodes(deps, rateLimits, admins, organisations);
  const activities = new Activities(deps, admins, outbox);
  const activityParticipants = new ActivityParticipants(deps, activities, outbox);
  const fees = new Fees(deps, admins, outbox);
  return {
    deps,
    accounts,
    adminCodes,
    adminRegistration: new AdminRegistration(deps, accounts, admins, adminCodes),
    auditTrail: new AuditTrail(deps, admins),
    backgroundJobs,
    entryProgress: new EntryProgress(deps, backgroundJobs, admins),
    members: new Members(deps, accounts, admins, organisations, posts),
    admins,
    bindings,
    chatLocks: new ChatLocks(deps),
    conversations: new Conversations(deps),
    jobLocks: new JobLocks(deps),
    organisations,
    outbox,
    passwordResets: new PasswordResets(deps, rateLimits, bindings, outbox),
    posts,
    updates: new ProcessedUpdates(deps),
    identity: new Identity(deps, accounts, admins, new OfflineVerifier(deps.now)),
    profileDetails: new ProfileDetails(deps, admins),
    invitations: new Invitations(deps, accounts, admins, outbox, posts),
    orgInfo: new OrgInfo(deps, accounts, admins, posts),
    applications: new Applications(deps, accounts, organisations, outbox, new ApplicationDecisions(deps, admins, outbox)),
    activities,
    activityParticipants,
    signin: new Signin(deps, activities, activityParticipants, rateLimits),
    reminders: new Reminders(deps, outbox, fees),
    fees,
    announcements: new Announcements(deps, admins, outbox, new AnnouncementRecipients(deps.db)),
    notices: new NoticesData(),
    orgPeople: new OrgPeople(deps, admins, fees.reports),
    rateLimits,
    webSessions: new WebSessions(deps),
  };
}
