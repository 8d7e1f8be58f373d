import { Accounts } from './accounts';
import { AdminCodes } from './admin-codes';
import { AdminRegistration } from './admin-registration';
import { Admins } from './admins';
import { AuditTrail } from './audit-trail';
import { ChatBindings } from './chat-bindings';
import { Conversations } from './conversations';
import type { ServiceDeps } from './deps';
import { JobLocks } from './job-locks';
import { Members } from './members';
import { Organisations } from './organisations';
import { Outbox } from './outbox';
import { Posts } from './posts';
import { ProcessedUpdates } from './processed-updates';

/** Every domain service, built once from the same dependencies. */
export interface Services {
  deps: ServiceDeps;
  accounts: Accounts;
  adminCodes: AdminCodes;
  adminRegistration: AdminRegistration;
  auditTrail: AuditTrail;
  members: Members;
  admins: Admins;
  bindings: ChatBindings;
  conversations: Conversations;
  jobLocks: JobLocks;
  organisations: Organisations;
  outbox: Outbox;
  posts: Posts;
  updates: ProcessedUpdates;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    deps,
    accounts: new Accounts(deps),
    adminCodes: new AdminCodes(deps),
    adminRegistration: new AdminRegistration(deps),
    auditTrail: new AuditTrail(deps),
    members: new Members(deps),
    admins: new Admins(deps),
    bindings: new ChatBindings(deps),
    conversations: new Conversations(deps),
    jobLocks: new JobLocks(deps),
    organisations: new Organisations(deps),
    outbox: new Outbox(deps),
    posts: new Posts(deps),
    updates: new ProcessedUpdates(deps),
  };
}
