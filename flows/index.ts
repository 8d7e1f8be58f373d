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

/** Every conversation the bot knows. Features add theirs here. */
export const FLOWS: Flow<any>[] = [startFlow, helpFlow, loginFlow, changePasswordFlow, meFlow, logoutFlow];
FLOWS.push(registerAdminFlow, adminCodeFlow, addMemberFlow, auditFlow);
FLOWS.push(profileFlow, inviteFlow, invitationsFlow, orgInfoFlow);

/** Every button handled outside a conversation. */
export const ACTIONS: Action[] = [];
ACTIONS.push(adminCodeAction, auditPageAction);
ACTIONS.push(invitationAction);

FLOWS.push(registerMemberFlow, joinFlow, checkinFlow, statusFlow, applicationsFlow, rejectApplicationFlow);
ACTIONS.push(applicationAction);

FLOWS.push(importFlow, templateFlow, jobsFlow, resetPasswordFlow);
FLOWS.push(progressFlow);
ACTIONS.push(progressAction);

FLOWS.push(activityRecordFlow, activitiesFlow, activityEditFlow, participantsFlow, signinFlow, myActivitiesFlow);
ACTIONS.push(organiserAction, responseAction);

FLOWS.push(feeFlow, feeDeclareFlow, feesFlow, feePayFlow, feeReverseFlow, feeSetFlow, feeImportFlow, feeStandardFlow, feeStandardAddFlow);
ACTIONS.push(feeAction);

FLOWS.push(announceFlow, announcementsFlow);
ACTIONS.push(announcementAction);

FLOWS.push(appFlow);
