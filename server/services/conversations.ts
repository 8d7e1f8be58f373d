import { Conversation } from '../../models';
import type { ServiceDeps } from './deps';

/** A saved conversation: which flow, its version stamp, and its plain-JSON state. */
export interface SavedConversation {
  flow: string;
  version: number;
  state: unknown;
}

/** Conversation state per (channel, chat), kept in the database so a restart loses nothing. */
export class Conversations {
  constructor(private readonly deps: ServiceDeps) {}

  async load(channel: string, chatId: string): Promise<SavedConversation | null> {
    const row = await Conversation.findOne({ where: { channel, chatId } });
    return row ? { flow: row.flow, version: row.version, state: JSON.parse(row.state) } : null;
  }

  async save(channel: string, chatId: string, saved: SavedConversation): Promise<void> {
    const state = JSON.stringify(saved.state);
    await this.deps.db.transaction(async (t) => {
      const [n] = await Conversation.update({ flow: saved.flow, version: saved.version, state }, { where: { channel, chatId }, transaction: t });
      if (n === 0) await Conversation.create({ channel, chatId, flow: saved.flow, version: saved.version, state }, { transaction: t });
    });
  }

  async clear(channel: string, chatId: string): Promise<void> {
    await this.deps.db.transaction((t) => Conversation.destroy({ where: { channel, chatId }, transaction: t }));
  }
}
