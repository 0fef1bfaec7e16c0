import { and, asc, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { event, partner } from '../../server/db/schema';
import type { PlaceScope } from '../places/policy';
import type { EventKind } from './schema';

export interface PublicEvent {
	id: string;
	title: string;
	slug: string;
	description: string;
	kind: EventKind;
	startsAt: Date;
	endsAt: Date;
	locationText: string;
	capacity: number | null;
	priceCents: number;
	partnerName: string | null;
}

/**
 * Published events of the place that have not ended yet at `now` (the public agenda), soonest first.
 * An event already under way stays listed until it ends.
 */
export async function listUpcomingEvents(db: DbOrTx, scope: PlaceScope, opts: { now?: Date; limit?: number } = {}): Promise<PublicEvent[]> {
	const now = opts.now ?? new Date();
	return db
		.select({
			id: event.id,
			title: event.title,
			slug: event.slug,
			description: event.description,
			kind: event.kind,
			startsAt: event.startsAt,
			endsAt: event.endsAt,
			locationText: event.locationText,
			capacity: event.capacity,
			priceCents: event.priceCents,
			partnerName: partner.name
		})
		.from(event)
		// why: a partner hidden from the public directory is not named in the public agenda either.
		.leftJoin(partner, and(eq(partner.id, event.partnerId), eq(partner.placeId, scope.placeId), eq(partner.published, true)))
		.where(and(eq(event.placeId, scope.placeId), eq(event.published, true), gt(event.endsAt, now)))
		.orderBy(asc(event.startsAt), asc(event.title))
		.limit(opts.limit ?? 200);
}
