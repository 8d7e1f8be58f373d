import { Op, Transaction, UniqueConstraintError } from 'sequelize';
import { OutboxMessage } from '../../models';
import type { ServiceDeps } from './deps';
import { ChatBindings } from './chat-bindings';

/** A channel-neutral message: text, optional button rows (label + value), optional file. */
export interface OutgoingMessage {
  text: string;
  choices?: Array<Array<{ label: string; value: string }>>;
}

/** Delivers one message on one channel; throws to have it retried later. */
export type Deliverer = (chatId: string, message: OutgoingMessage) => Promise<void>;

const MAX_ATTEMPTS = 8;

/**
 * Messages to deliver later. Services enqueue in the transaction of the change that caused
 * them; the sender job delivers due ones, retrying with back-off, and marks them sent.
 */
export class Outbox {
  private readonly bindings: ChatBindings;

  constructor(private readonly deps: ServiceDeps) {
    this.bindings = new ChatBindings(deps);
  }

  /** Queues a message to every chat where the person is logged in. `dedupeKey` makes repeats no-ops. */
  async toPerson(personId: number, message: OutgoingMessage, opts: { dedupeKey?: string; t?: Transaction } = {}): Promise<number> {
    const bindings = await this.bindings.bindingsOf(personId, opts.t);
    let queued = 0;
    for (const b of bindings) {
      const key = opts.dedupeKey ? `${opts.dedupeKey}:${b.channel}:${b.chatId}` : null;
      if (await this.enqueue(b.channel, b.chatId, message, { personId, dedupeKey: key, t: opts.t })) queued++;
    }
    return queued;
  }

  /** Queues a message to one chat; false when the dedupe key was already used. */
  async enqueue(
    channel: string,
    chatId: string,
    message: OutgoingMessage,
    opts: { personId?: number | null; dedupeKey?: string | null; t?: Transaction } = {},
  ): Promise<boolean> {
    const row = { channel, chatId, personId: opts.personId ?? null, payload: JSON.stringify(message), dedupeKey: opts.dedupeKey ?? null, sentAt: null, lastError: null, availableAt: this.deps.now() };
    try {
      await this.deps.db.transaction(async (t) => {
        if (row.dedupeKey && (await OutboxMessage.findOne({ where: { dedupeKey: row.dedupeKey }, transaction: t }))) throw new UniqueConstraintError({});
        await OutboxMessage.create(row, { transaction: t });
      }, opts.t);
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintError) return false;
      throw err;
    }
  }

  /** Delivers due messages of the channels that have a deliverer; returns how many were sent. */
  async deliverDue(deliverers: Record<string, Deliverer>, limit = 50): Promise<number> {
    const due = await OutboxMessage.findAll({
      where: { status: 'pending', channel: Object.keys(deliverers), availableAt: { [Op.lte]: this.deps.now() } },
      order: [['id', 'ASC']],
      limit,
    });
    let sent = 0;
    for (const msg of due) {
      try {
        await deliverers[msg.channel](msg.chatId, JSON.parse(msg.payload));
        await this.deps.db.transaction((t) => msg.update({ status: 'sent', sentAt: this.deps.now(), attempts: msg.attempts + 1 }, { transaction: t }));
        sent++;
      } catch (err) {
        const attempts = msg.attempts + 1;
        const backoffMs = Math.min(2 ** attempts * 1000, 3600_000);
        await this.deps.db.transaction((t) =>
          msg.update(
            {
              attempts,
              status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
              availableAt: new Date(this.deps.now().getTime() + backoffMs),
              lastError: String((err as Error)?.message ?? err).slice(0, 500),
            },
            { transaction: t },
          ),
        );
        this.deps.logger.warn({ outboxId: msg.id, attempts, err: (err as Error)?.message }, 'outbox delivery failed');
      }
    }
    return sent;
  }

  /** Takes the pending messages of one local chat (the web chat polls for them). */
  async takeForChat(channel: string, chatId: string): Promise<OutgoingMessage[]> {
    return this.deps.db.transaction(async (t) => {
      const rows = await OutboxMessage.findAll({ where: { channel, chatId, status: 'pending' }, order: [['id', 'ASC']], transaction: t });
      if (rows.length) {
        await OutboxMessage.update({ status: 'sent', sentAt: this.deps.now() }, { where: { id: rows.map((r) => r.id) }, transaction: t });
      }
      return rows.map((r) => JSON.parse(r.payload) as OutgoingMessage);
    });
  }
}
