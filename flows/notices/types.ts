import type { Services } from '../../server/services';
import type { NoticeKind, NoticeOf } from '../../server/services/messaging/notices';
import type { Recipient } from '../../server/services/messaging/outbox';
import type { Reply } from '../engine/types';

/**
 * Renders one kind of notice for its recipient, from the data as it stands now; null when
 * there is nothing to say any more (what it was about is gone): the message is dropped.
 */
export type NoticeRenderer<K extends NoticeKind> = (services: Services, notice: NoticeOf<K>, to: Recipient) => Promise<Reply | null>;

/** Renderers of several kinds, as a module exports them. */
export type NoticeRenderers<K extends NoticeKind = NoticeKind> = { [P in K]: NoticeRenderer<P> };
