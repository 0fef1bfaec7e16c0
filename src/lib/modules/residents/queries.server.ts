import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { placeMember, residentProfile, user } from '../../server/db/schema';
import type { PlaceScope } from '../places/policy';

export interface PublicResident {
	userId: string;
	name: string;
	craft: string;
	bio: string;
	website: string | null;
}

/**
 * The public residents directory: published profiles of people who are still members of the place
 * and have not erased their account, by name.
 */
export async function listPublishedResidents(db: DbOrTx, scope: PlaceScope): Promise<PublicResident[]> {
	const rows = await db
		.select({ userId: residentProfile.userId, name: user.name, craft: residentProfile.craft, bio: residentProfile.bio, website: residentProfile.website })
		.from(residentProfile)
		.innerJoin(user, eq(user.id, residentProfile.userId))
		.innerJoin(placeMember, and(eq(placeMember.userId, residentProfile.userId), eq(placeMember.placeId, residentProfile.placeId)))
		.where(and(eq(residentProfile.placeId, scope.placeId), eq(residentProfile.published, true), isNull(user.deletedAt)))
		.orderBy(asc(user.name));
	const collator = new Intl.Collator('fr', { sensitivity: 'base' });
	return rows.sort((a, b) => collator.compare(a.name, b.name));
}
