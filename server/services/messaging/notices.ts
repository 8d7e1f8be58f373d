/**
 * Notices: what the outbox stores. A notice is a typed event — a kind and the ids it needs —
 * never chat text: the flows layer renders it (text, buttons) when it is delivered, from the
 * data as it stands then (flows/notices). A plain message (`kind: 'message'`) is still read:
 * rows queued before background jobs' outcomes were notices hold one.
 */
import type { ApplicationStage } from '../applications/application-stages';

/** A channel-neutral message: text, optional button rows (label + value), optional file. */
export interface OutgoingMessage {
  text: string;
  choices?: Array<Array<{ label: string; value: string }>>;
  /** A file sent with the text as its caption (e.g. an import's error report). */
  file?: { name: string; mime: string; base64: string };
}

/** Activity fields whose change is told to participants. */
export type ActivityField = 'startsAt' | 'endsAt' | 'place';

/**
 * Every notice kind and the data it carries (ids, and small facts that are not stored
 * elsewhere). Another module adds kinds by declaration merging:
 * `declare module '…/server/services/messaging/notices' { interface NoticeKinds { 'fee.due': { month: string } } }`,
 * then a renderer for each, added to the list of renderers in flows/notices/index.ts.
 */
export interface NoticeKinds {
  /** Plain text as written by the flows layer (rows queued before job outcomes were notices). */
  message: OutgoingMessage;
  /** To an admin: a new application waits for a decision (R8, R9, R9a). */
  'application.submitted': { applicationId: number };
  /** To the applicant: the stage their application reached. */
  'application.moved': { applicationId: number; to: ApplicationStage };
  /** To the invitee (R13). */
  'invitation.received': { invitationId: number };
  /** To the inviter: the invitee answered. */
  'invitation.answered': { invitationId: number };
  /** To a participant: 报名 / 不参加 (R19). */
  'activity.invitation': { activityId: number };
  /** To a participant already told: the time or place changed. */
  'activity.changed': { activityId: number; fields: ActivityField[] };
  /** To the person: an admin reset their password. */
  'account.password_reset': { byPersonId: number };
  /** To the owner: wrong passwords from other chats (`at`: ISO time). */
  'account.login_alert': { at: string; tries: number };
  /** To the admin who started it: a background job could not finish. */
  'job.failed': { jobId: number; interrupted: boolean };
  /** An admin's announcement to a subtree (R21). */
  announcement: { announcementId: number };
}

export type NoticeKind = keyof NoticeKinds;
/** One notice of kind K. */
export type NoticeOf<K extends NoticeKind> = { kind: K } & NoticeKinds[K];
/** Any notice. */
export type Notice = { [K in NoticeKind]: NoticeOf<K> }[NoticeKind];

/** A plain message as a notice. */
export const messageNotice = (message: OutgoingMessage): NoticeOf<'message'> => ({ ...message, kind: 'message' });

/** A stored payload as a notice; rows written before notices had kinds are plain messages. */
export function parseNotice(payload: string): Notice {
  const data = JSON.parse(payload) as Partial<Notice> & Record<string, unknown>;
  return typeof data.kind === 'string' ? (data as Notice) : messageNotice(data as unknown as OutgoingMessage);
}

/** True for a typed notice, false for a plain message (both are accepted where a notice is queued). */
export function isNotice(x: Notice | OutgoingMessage): x is Notice {
  return typeof (x as { kind?: unknown }).kind === 'string';
}
