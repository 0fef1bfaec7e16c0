import { auditLog } from './db/schema';
import type { DbOrTx } from './db/client';

export interface AuditEntry {
	placeId: string | null;
	actorId: string | null;
	action: string;
	targetType?: string;
	targetId?: string;
	data?: Record<string, unknown>;
}

/** Writes an audit entry; call it with the transaction of the change it describes. */
export async function audit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
	await tx.insert(auditLog).values(auditValues(entry));
}

/** The audit_log row of an entry, for callers that insert it in a larger statement. */
export function auditValues(entry: AuditEntry): typeof auditLog.$inferInsert {
	return { placeId: entry.placeId, actorId: entry.actorId, action: entry.action, targetType: entry.targetType ?? null, targetId: entry.targetId ?? null, data: entry.data ?? {} };
}
