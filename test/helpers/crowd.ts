import { QueryTypes } from 'sequelize';
import { BULK_WRITE_DEADLINE_MS } from '../../models';
import { bulkInsert } from '../../models/fast-sql';
import type { System } from '../../server/system';

let crowdSeq = 0;

/**
 * Many people at once (a broadcast's audience): `count` members of `branchId`, each logged in
 * on Telegram in a chat of their own (`firstChat`, `firstChat + 1` …; none when null), written
 * with multi-row inserts. Their ID numbers are placeholders: nobody logs in as them.
 */
export async function addCrowd(sys: System, opts: { branchId: number; count: number; firstChat: number | null; role?: 'member' | 'cadre' }): Promise<Array<{ personId: number; chatId: number | null }>> {
  const tag = `crowd${process.pid}x${++crowdSeq}x`;
  const now = sys.services.deps.now();
  const stamps = { created_at: now, updated_at: now };
  const sealed = sys.services.deps.vault.encrypt('110105200801010011');
  const rows = Array.from({ length: opts.count }, (_, i) => [sealed, `${tag}${String(i).padStart(8, '0')}`.padEnd(64, '0'), '110105********0011', '群众测试', i % 2 ? 'M' : 'F', '2008-01-01', opts.role ?? 'member', opts.branchId]);
  const { sequelize } = sys.db;
  await sys.db.transaction(async (t) => {
    for (let i = 0; i < rows.length; i += 5000) {
      await bulkInsert(sequelize, t, 'people', ['id_cipher', 'id_hash', 'id_masked', 'name', 'gender', 'birth_date', 'role', 'branch_id'], rows.slice(i, i + 5000), { ...stamps, must_change_password: false });
    }
  }, undefined, { deadlineMs: BULK_WRITE_DEADLINE_MS });
  const ids = await sequelize.query<{ id: number }>(`SELECT id FROM people WHERE id_hash LIKE '${tag}%' ORDER BY id_hash`, { type: QueryTypes.SELECT });
  const people = ids.map((r, i) => ({ personId: Number(r.id), chatId: opts.firstChat === null ? null : opts.firstChat + i }));
  if (opts.firstChat !== null) {
    const bindings = people.map((p) => ['telegram', String(p.chatId), String(p.chatId), p.personId]);
    await sys.db.transaction(async (t) => {
      for (let i = 0; i < bindings.length; i += 5000) {
        await bulkInsert(sequelize, t, 'chat_bindings', ['channel', 'external_user_id', 'chat_id', 'person_id'], bindings.slice(i, i + 5000), { ...stamps, last_seen_at: now });
      }
    }, undefined, { deadlineMs: BULK_WRITE_DEADLINE_MS });
  }
  return people;
}
