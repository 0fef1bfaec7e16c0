import type { DbOrTx } from '../../server/db/client';
import { consent } from '../../server/db/schema';

export const CONSENT_PURPOSES = ['terms', 'news', 'photos', 'directory'] as const;

/** Records a consent decision (a new row each time: the history is the proof). */
export async function recordConsent(db: DbOrTx, userId: string, purpose: string, granted: boolean, version = '1') {
	await db.insert(consent).values({ userId, purpose, granted, version });
}
