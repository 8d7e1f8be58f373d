import { activitiesFlow, organiserAction } from './activities/activities';
import { activityEditFlow } from './activities/activity-edit';
import { announceFlow } from './messaging/announce';
import { appFlow } from './platform/app';
import { announcementAction, announcementsFlow } from './messaging/announcements';
import { activityRecordFlow } from './activities/activity-record';
import { addMemberFlow } from './membership/add-member';
import { adminCodeAction, adminCodeFlow } from './organisations/admin-code';
import { auditFlow, auditPageAction } from './audit/audit';
import { applicationAction, applicationsFlow, rejectApplicationFlow } from './applications/applications';
import { checkinFlow } from './applications/checkin';
import { feeFlow } from './fees/lookup';
import { feeDeclareFlow } from './fees/declare';
import { feeImportFlow } from './fees/import';
import { feePayFlow } from './fees/pay';
import { feeReverseFlow } from './fees/reverse';
import { feeSetFlow } from './fees/set';
import { feeStandardAddFlow, feeStandardFlow } from './fees/standard';
import { feeAction, feesFlow } from './fees/summary';
import { joinFlow } from './applications/join';
import { registerMemberFlow } from './applications/register-member';
import { statusFlow } from './applications/status';
import { changePasswordFlow } from './accounts/change-password';
import { invitationAction, invitationsFlow } from './organisations/invitations';
import { importFlow, templateFlow } from './membership/import';
import { inviteFlow } from './organisations/invite';
import { jobsFlow } from './platform/jobs';
import { loginFlow } from './accounts/login';
import { logoutFlow, meFlow } from './membership/me';
import { orgInfoFlow } from './organisations/org-info';
import { profileFlow } from './membership/profile';
import { progressAction, progressFlow } from './organisations/progress';
import { registerAdminFlow } from './applications/register-admin';
import { resetPasswordFlow } from './accounts/reset-password';
import { participantsFlow } from './activities/participants';
import { myActivitiesFlow, responseAction, signinFlow } from './activities/signin';
import { helpFlow, startFlow } from './engine/start';
import type { Action, Flow } from './engine/types';

/** Every conversation the bot knows, in one list: a feature adds its flows here. */
export const FLOWS: Flow<any>[] = [
  startFlow,
  helpFlow,
  loginFlow,
  changePasswordFlow,
  meFlow,
  logoutFlow,
  registerAdminFlow,
  adminCodeFlow,
  addMemberFlow,
  auditFlow,
  profileFlow,
  inviteFlow,
  invitationsFlow,
  orgInfoFlow,
  registerMemberFlow,
  joinFlow,
  checkinFlow,
  statusFlow,
  applicationsFlow,
  rejectApplicationFlow,
  importFlow,
  templateFlow,
  jobsFlow,
  resetPasswordFlow,
  progressFlow,
  activityRecordFlow,
  activitiesFlow,
  activityEditFlow,
  participantsFlow,
  signinFlow,
  myActivitiesFlow,
  feeFlow,
  feeDeclareFlow,
  feesFlow,
  feePayFlow,
  feeReverseFlow,
  feeSetFlow,
  feeImportFlow,
  feeStandardFlow,
  feeStandardAddFlow,
  announceFlow,
  announcementsFlow,
  appFlow,
];

/** Every button handled outside a conversation, in one list. */
export const ACTIONS: Action[] = [
  adminCodeAction,
  auditPageAction,
  invitationAction,
  applicationAction,
  progressAction,
  organiserAction,
  responseAction,
  feeAction,
  announcementAction,
];
