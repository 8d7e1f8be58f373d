import { renderNotice } from '../../flows/notices';
import type { Reply } from '../../flows/engine/types';
import { OutboxMessage } from '../../models';
import type { Services } from '../../server/services';
import { parseNotice, type Notice } from '../../server/services/messaging/notices';
import { NoticesData } from '../../server/services/messaging/notices-data';
import type { System } from '../../server/system';

/** What the renderers read: the models are bound once per process, so no system is needed. */
const RENDER_SERVICES = { notices: new NoticesData() } as unknown as Services;

/** A stored outbox row as its recipient would read it now (null: it no longer applies). */
export function renderRow(row: OutboxMessage, services: Services = RENDER_SERVICES): Promise<Reply | null> {
  return renderNotice(services, parseNotice(row.payload), { channel: row.channel, chatId: row.chatId, personId: row.personId });
}

/** Messages queued for a person, oldest first, rendered as they would be delivered now. */
export async function renderedFor(personId: number): Promise<Reply[]> {
  const rows = await OutboxMessage.findAll({ where: { personId }, order: [['id', 'ASC']] });
  return (await Promise.all(rows.map((r) => renderRow(r)))).filter((r): r is Reply => r !== null);
}

/** The stored notices of a person, as typed events (what services queued, before rendering). */
export async function noticesFor(personId: number): Promise<Notice[]> {
  const rows = await OutboxMessage.findAll({ where: { personId }, order: [['id', 'ASC']] });
  return rows.map((r) => parseNotice(r.payload));
}

/** Takes a local chat's pending notices, as the web chat does, rendered. */
export async function takeRendered(sys: System, channel: string, chatId: string): Promise<Reply[]> {
  const taken = await sys.services.outbox.takeForChat(channel, chatId);
  const replies = await Promise.all(taken.map((m) => renderNotice(sys.services, m.notice, { channel, chatId, personId: m.personId })));
  return replies.filter((r): r is Reply => r !== null);
}
