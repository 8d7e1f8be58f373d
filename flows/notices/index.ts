/**
 * Notices as chat messages: the outbox stores typed notices (server/services/messaging/notices.ts) and
 * the channels render them here when they deliver them (Telegram's outbox deliverer, the local
 * chat's inbox). A module that adds a kind adds its renderers to the one list below.
 */
import type { Services } from '../../server/services';
import type { Notice, NoticeKind, NoticeOf } from '../../server/services/messaging/notices';
import type { Recipient } from '../../server/services/messaging/outbox';
import { replyOf, type Reply } from '../engine/types';
import { accountNotices } from './accounts';
import { activityNotices } from './activities';
import { announcementNotices } from './announcements';
import { applicationNotices } from './applications';
import { importNotices } from './imports';
import { invitationNotices } from './invitations';
import { jobNotices } from './jobs';
import { progressNotices } from './progress';
import { reminderNotices } from './reminders';
import type { NoticeRenderer, NoticeRenderers } from './types';

/** Every notice kind's renderer, in one list (typed by kind, so a kind without one does not compile). */
const RENDERERS: NoticeRenderers = {
  message: async (_services, { kind: _kind, ...message }) => replyOf(message),
  ...applicationNotices,
  ...invitationNotices,
  ...activityNotices,
  ...accountNotices,
  ...jobNotices,
  ...importNotices,
  ...progressNotices,
  ...announcementNotices,
  ...reminderNotices,
};

/** True when the kind can be rendered. */
export const canRender = (kind: string): boolean => kind in RENDERERS;

/** The notice as a reply for its recipient; null when it no longer applies (nothing to send). */
export function renderNotice(services: Services, notice: Notice, to: Recipient): Promise<Reply | null> {
  const render = RENDERERS[notice.kind] as NoticeRenderer<NoticeKind> | undefined;
  if (!render) throw new Error(`no renderer for notice kind ${notice.kind}`);
  return render(services, notice as NoticeOf<NoticeKind>, to);
}

export type { NoticeRenderer, NoticeRenderers } from './types';
