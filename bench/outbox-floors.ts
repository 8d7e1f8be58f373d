/**
 * Figures of the outbox's two bulk paths for the province bench (issue 26, items 3 and 5),
 * each with its hand-written SQL floor, measured on the system given (SQLite or PostgreSQL):
 * queueing an announcement to a whole subtree, and writing sent marks. The sender against a
 * rate-limited Bot API (a real server process and the emulator) is `benchBroadcast` in
 * bench/broadcast.ts (BENCH_DATABASE_URL for PostgreSQL).
 */
import { QueryTypes } from 'sequelize';
import { underPath, underPathPattern } from '../models/fast-sql';
import type { System } from '../server/system';

/** How long queueing an announcement took, from confirming it to its last batch. */
export interface QueueingFigure {
  recipients: number;
  messages: number;
  ms: number;
  perSecond: number;
}

/**
 * Confirms an announcement to everyone of `orgId`'s subtree as `adminId` and queues it the way
 * the background job does (snapshot, then batches), timing it all.
 */
export async function measureAnnouncementQueueing(system: System, adminId: number, orgId: number, text = '基准通知：全省团员'): Promise<QueueingFigure> {
  const { announcements } = system.services;
  const started = performance.now();
  const a = await announcements.create(adminId, { orgId, audience: 'all', orgKind: null, text });
  while (await announcements.enqueueNext());
  const ms = performance.now() - started;
  await a.reload();
  return { recipients: a.enqueued, messages: a.messages, ms, perSecond: (a.enqueued / ms) * 1000 };
}

/**
 * The floor of queueing to a subtree: one hand-written statement that writes a row per chat
 * of each member of the subtree's branches (the subtree's organisations by path, people by
 * branch, chats by person) into a temporary table, the rows an outbox would hold, and nothing
 * else: no snapshot, no batches, no dedupe keys checked. Rolled back.
 */
export async function announcementQueueingFloor(system: System, orgPath: string): Promise<{ rows: number; ms: number; perSecond: number }> {
  const { sequelize, dialect } = system.db;
  const started = performance.now();
  let rows = 0;
  const t = await sequelize.transaction();
  try {
    await sequelize.query('CREATE TEMPORARY TABLE floor_outbox (person_id INTEGER, channel VARCHAR(16), chat_id VARCHAR(64), payload TEXT)', {
      transaction: t,
    });
    await sequelize.query(
      `INSERT INTO floor_outbox (person_id, channel, chat_id, payload)
       SELECT p.id, b.channel, b.chat_id, '{}' FROM organisations o JOIN people p ON p.branch_id = o.id JOIN chat_bindings b ON b.person_id = p.id
       WHERE ${underPath(dialect, 'o.path', ':path')} AND p.role <> 'applicant'`,
      { replacements: { path: underPathPattern(dialect, orgPath) }, transaction: t },
    );
    const [row] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM floor_outbox', { type: QueryTypes.SELECT, transaction: t });
    rows = Number(row?.n ?? 0);
  } finally {
    await t.rollback();
    if (dialect === 'sqlite') await sequelize.query('DROP TABLE IF EXISTS temp.floor_outbox');
  }
  const ms = performance.now() - started;
  return { rows, ms, perSecond: (rows / ms) * 1000 };
}
