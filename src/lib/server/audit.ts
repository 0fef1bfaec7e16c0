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
	await tx.insert(auditLog).values({
		placeId: entry.placeId,
		actorId: entry.actorId,
		action: entry.action,
		targetType: entry.targetType ?? null,
		targetId: entry.targetId ?? null,
		data: entry.data ?? {}
	});
}
