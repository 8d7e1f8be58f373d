import { Op, type Transaction } from 'sequelize';
import { ChatBinding } from '../../../models';
import type { ServiceDeps } from '../deps';

/** A chat user, as a channel names it. */
export interface ChatUser {
  channel: string;
  userId: string;
}

/**
 * Which account a chat user is logged in as. Identity comes from the user id, never the chat
 * id. A login ends with /logout, a password change or reset elsewhere, or after the
 * configured idle time without a message (`lastSeenAt`).
 */
export class ChatBindings {
  constructor(private readonly deps: ServiceDeps) {}

  /** Binds the chat user to an account, replacing an earlier binding of that user. */
  async bind(channel: string, userId: string, chatId: string, personId: number, t?: Transaction): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await ChatBinding.destroy({ where: { channel, externalUserId: userId }, transaction: tx });
      await ChatBinding.create({ channel, externalUserId: userId, chatId, personId, lastSeenAt: this.deps.now() }, { transaction: tx });
    }, t);
  }

  async unbind(channel: string, userId: string): Promise<boolean> {
    const n = await this.deps.db.transaction((t) => ChatBinding.destroy({ where: { channel, externalUserId: userId }, transaction: t }));
    return n > 0;
  }

  /** Ends every login of a person, but the one of `keep` (the chat that changed the password). Returns how many ended. */
  async unbindAll(personId: number, opts: { keep?: ChatUser; t?: Transaction } = {}): Promise<number> {
    const { keep } = opts;
    const where = keep ? { personId, [Op.not]: { channel: keep.channel, externalUserId: keep.userId } } : { personId };
    return this.deps.db.transaction((tx) => ChatBinding.destroy({ where, transaction: tx }), opts.t);
  }

  /** Every chat where a person is logged in (idle logins excluded: they have ended). */
  bindingsOf(personId: number, t?: Transaction): Promise<ChatBinding[]> {
    return ChatBinding.findAll({ where: { personId, lastSeenAt: { [Op.gte]: this.idleCutoff() } }, transaction: t });
  }

  /** Every chat where any of these people is logged in (idle logins excluded). */
  bindingsOfMany(personIds: number[], t?: Transaction): Promise<ChatBinding[]> {
    if (!personIds.length) return Promise.resolve([]);
    return ChatBinding.findAll({ where: { personId: personIds, lastSeenAt: { [Op.gte]: this.idleCutoff() } }, order: [['id', 'ASC']], transaction: t });
  }

  /** Removes logins idle past the configured time (the scheduled clean-up; a session read ignores them already). */
  async endIdle(): Promise<number> {
    return this.deps.db.transaction((t) => ChatBinding.destroy({ where: { lastSeenAt: { [Op.lt]: this.idleCutoff() } }, transaction: t }));
  }

  private idleCutoff(): Date {
    return new Date(this.deps.now().getTime() - this.deps.loginIdleMs);
  }
}
