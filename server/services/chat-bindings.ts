import type { Transaction } from 'sequelize';
import { ChatBinding } from '../../models';
import type { ServiceDeps } from './deps';

/** Which account a chat user is logged in as. Identity comes from the user id, never the chat id. */
export class ChatBindings {
  constructor(private readonly deps: ServiceDeps) {}

  /** Binds the chat user to an account, replacing an earlier binding of that user. */
  async bind(channel: string, userId: string, chatId: string, personId: number, t?: Transaction): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await ChatBinding.destroy({ where: { channel, externalUserId: userId }, transaction: tx });
      await ChatBinding.create({ channel, externalUserId: userId, chatId, personId }, { transaction: tx });
    }, t);
  }

  async unbind(channel: string, userId: string): Promise<boolean> {
    const n = await this.deps.db.transaction((t) => ChatBinding.destroy({ where: { channel, externalUserId: userId }, transaction: t }));
    return n > 0;
  }

  /** Every chat where a person can be reached. */
  bindingsOf(personId: number, t?: Transaction): Promise<ChatBinding[]> {
    return ChatBinding.findAll({ where: { personId }, transaction: t });
  }
}
