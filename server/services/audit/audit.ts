import type { Transaction } from 'sequelize';
import { AuditLog } from '../../../models';

/** One audited change. `before`/`after` must not hold whole ID numbers (mask them). */
export interface AuditEntry {
  actorPersonId: number | null;
  orgId: number | null;
  action: string;
  targetType: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Writes the audit log (who, what, when, before/after), in the caller's transaction. */
export async function recordAudit(entry: AuditEntry, t?: Transaction): Promise<void> {
  await AuditLog.create(
    {
      actorPersonId: entry.actorPersonId,
      orgId: entry.orgId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId == null ? null : String(entry.targetId),
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    },
    { transaction: t },
  );
}
