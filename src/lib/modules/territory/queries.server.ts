import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { partner } from '../../server/db/schema';
import type { PlaceScope } from '../places/policy';
import type { PartnerKind } from './schema';

export interface PublicPartner {
	id: string;
	name: string;
	kind: PartnerKind;
	description: string;
	website: string | null;
}

/** Published partners of the place (public directory), by name. Contact e-mails stay private. */
export async function listPublishedPartners(db: DbOrTx, scope: PlaceScope): Promise<PublicPartner[]> {
	const rows = await db
		.select({ id: partner.id, name: partner.name, kind: partner.kind, description: partner.description, website: partner.website })
		.from(partner)
		.where(and(eq(partner.placeId, scope.placeId), eq(partner.published, true)))
		.orderBy(asc(partner.name));
	const collator = new Intl.Collator('fr', { sensitivity: 'base' });
	return rows.sort((a, b) => collator.compare(a.name, b.name));
}
