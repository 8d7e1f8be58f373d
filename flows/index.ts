import { activitiesFlow, organiserAction } from './activities';
import { activityEditFlow } from './activity-edit';
import { announceFlow } from './announce';
import { appFlow } from './app';
import { announcementAction, announcementsFlow } from './announcements';
import { activityRecordFlow } from './activity-record';
import { addMemberFlow } from './add-member';
import { adminCodeAction, adminCodeFlow } from './admin-code';
import { auditFlow, auditPageAction } from './audit';
import { applicationAction, applicationsFlow, rejectApplicationFlow } from './applications';
import { checkinFlow } from './checkin';
import { feeFlow } from './fee';
import { feeDeclareFlow } from './fee-declare';
import { feeImportFlow } from './fee-import';
import { feePayFlow } from './fee-pay';
import { feeReverseFlow } from './fee-reverse';
import { feeSetFlow } from './fee-set';
import { feeStandardAddFlow, feeStandardFlow } from './fee-standard';
import { feeAction, feesFlow } from './fees';
import { joinFlow } from './join';
import { registerMemberFlow } from './register-member';
import { statusFlow } from './status';
import { changePasswordFlow } from './change-password';
import { invitationAction, invitationsFlow } from './invitations';
import { importFlow, templateFlow } from './import';
import { inviteFlow } from './invite';
import { jobsFlow } from './jobs';
import { loginFlow } from './login';
import { logoutFlow, meFlow } from './me';
import { orgInfoFlow } from './org-info';
import { profileFlow } from './profile';
import { progressAction, progressFlow } from './progress';
import { registerAdminFlow } from './register-admin';
import { resetPasswordFlow } from './reset-password';
import { participantsFlow } from './participants';
import { myActivitiesFlow, responseAction, signinFlow } from './signin';
import { helpFlow, startFlow } from './start';
import type { Action, Flow } from './types';

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
