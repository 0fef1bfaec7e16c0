// Qualification checks shared by the booking commands (the server-side training gate).
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { qualification } from './schema';

/**
 * Whether the person holds a live qualification for the resource at `at` (not revoked, not expired then).
 * The booking command calls it inside its transaction, for pages and API alike: the gate is never only in the browser.
 */
export async function hasValidQualification(db: DbOrTx, placeId: string, userId: string, resourceId: string, at: Date): Promise<boolean> {
	const [q] = await db.select({ id: qualification.id }).from(qualification).where(validQualificationWhere(placeId, userId, resourceId, at)).limit(1);
	return Boolean(q);
}

/** The condition of hasValidQualification on qualification (also embedded in the booking's context query). */
export function validQualificationWhere(placeId: string, userId: string, resourceId: string, at: Date) {
	return and(
		eq(qualification.placeId, placeId),
		eq(qualification.userId, userId),
		eq(qualification.resourceId, resourceId),
		isNull(qualification.revokedAt),
		or(isNull(qualification.expiresAt), gt(qualification.expiresAt, at))
	)!;
}
