// Calendar feeds: a machine's public busy times, and a person's private feed of their own bookings behind a
// secret token (only its SHA-256 is stored; regenerating replaces it, revoking deletes it).
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../server/db/client';
import { booking, bookingSlot, calendarToken, placeMember, resource, resourceOutage } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newToken, sha256 } from '../../server/ids';
import { requireMember, type PlaceScope } from '../places/policy';
import type { BusyPeriod, IcsBooking, IcsResource } from './ics';

const DAY = 86_400_000;
/** How far back and ahead the feeds reach. */
export const FEED_PAST_DAYS = 30;
export const FEED_AHEAD_DAYS = 365;

/** Whether the person has a feed at this place, and since when. */
export async function calendarTokenStatus(db: DbOrTx, scope: PlaceScope): Promise<{ createdAt: Date } | null> {
	requireMember(scope);
	const [row] = await db
		.select({ createdAt: calendarToken.createdAt })
		.from(calendarToken)
		.where(and(eq(calendarToken.placeId, scope.placeId), eq(calendarToken.userId, scope.userId!)));
	return row ?? null;
}

/** Creates (or replaces: the old URL stops working) the person's feed token. Returns the token, shown once. */
export async function createCalendarToken(db: Db, scope: PlaceScope, now = new Date()): Promise<{ token: string }> {
	requireMember(scope);
	const { token, hash } = newToken('cal_');
	await db.transaction(async (tx) => {
		await tx
			.insert(calendarToken)
			.values({ placeId: scope.placeId, userId: scope.userId!, tokenHash: hash, createdAt: now })
			.onConflictDoUpdate({ target: [calendarToken.placeId, calendarToken.userId], set: { tokenHash: hash, createdAt: now } });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.calendar_token', targetType: 'user', targetId: scope.userId!, data: {} });
	});
	return { token };
}

/** Deletes the person's feed token (the URL answers 404 from now on). */
export async function revokeCalendarToken(db: Db, scope: PlaceScope): Promise<void> {
	requireMember(scope);
	await db.transaction(async (tx) => {
		await tx.delete(calendarToken).where(and(eq(calendarToken.placeId, scope.placeId), eq(calendarToken.userId, scope.userId!)));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.calendar_token_revoke', targetType: 'user', targetId: scope.userId!, data: {} });
	});
}

/**
 * The bookings of the token's owner at this place (their own only), or null when the token is unknown, belongs
 * to another place, or its owner is no longer a member.
 */
export async function memberFeed(db: DbOrTx, placeId: string, token: string, now: Date): Promise<Array<{ booking: IcsBooking; resource: IcsResource }> | null> {
	if (!/^cal_[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
	const [owner] = await db
		.select({ userId: calendarToken.userId })
		.from(calendarToken)
		.innerJoin(placeMember, and(eq(placeMember.placeId, calendarToken.placeId), eq(placeMember.userId, calendarToken.userId)))
		.where(and(eq(calendarToken.placeId, placeId), eq(calendarToken.tokenHash, sha256(token))));
	if (!owner) return null;
	const rows = await db
		.select({ b: booking, r: { id: resource.id, name: resource.name, slug: resource.slug, safetyNotes: resource.safetyNotes } })
		.from(booking)
		.innerJoin(resource, and(eq(resource.id, booking.resourceId), eq(resource.placeId, placeId)))
		.where(and(eq(booking.placeId, placeId), eq(booking.userId, owner.userId), eq(booking.kind, 'booking'), gt(booking.endsAt, new Date(now.getTime() - FEED_PAST_DAYS * DAY)), lt(booking.startsAt, new Date(now.getTime() + FEED_AHEAD_DAYS * DAY))))
		.orderBy(asc(booking.startsAt));
	return rows.map(({ b, r }) => ({ booking: { id: b.id, startsAt: b.startsAt, endsAt: b.endsAt, status: b.status, note: b.note, createdAt: b.createdAt }, resource: r }));
}

/**
 * A public resource's busy periods (active resource of the place, by slug): what occupies it (its own bookings,
 * the bookings of its room, pending holds) and its outages. No names, no notes.
 */
export async function resourceBusy(db: DbOrTx, scope: PlaceScope, slug: string, now: Date): Promise<{ resource: IcsResource; periods: BusyPeriod[] }> {
	const [r] = await db
		.select({ id: resource.id, name: resource.name, slug: resource.slug })
		.from(resource)
		.where(and(eq(resource.placeId, scope.placeId), eq(resource.slug, slug), eq(resource.active, true)));
	if (!r) throw new AppError('not_found', { detail: 'resource' });
	const from = new Date(now.getTime() - FEED_PAST_DAYS * DAY);
	const to = new Date(now.getTime() + FEED_AHEAD_DAYS * DAY);
	const slots = await db
		.select({ id: bookingSlot.bookingId, startsAt: bookingSlot.startsAt, endsAt: bookingSlot.endsAt })
		.from(bookingSlot)
		.where(and(eq(bookingSlot.placeId, scope.placeId), eq(bookingSlot.resourceId, r.id), gt(bookingSlot.endsAt, from), lt(bookingSlot.startsAt, to)))
		.orderBy(asc(bookingSlot.startsAt));
	const outages = await db
		.select({ id: resourceOutage.id, startsAt: resourceOutage.startsAt, endsAt: resourceOutage.endsAt })
		.from(resourceOutage)
		.where(and(eq(resourceOutage.placeId, scope.placeId), eq(resourceOutage.resourceId, r.id), gt(resourceOutage.endsAt, from), lt(resourceOutage.startsAt, to)))
		.orderBy(asc(resourceOutage.startsAt));
	return {
		resource: r,
		// why: the public feed never exposes booking ids (UIDs are derived, stable per booking).
		periods: [...slots.map((s) => ({ ...s, id: sha256(`busy:${s.id}`).slice(0, 24), kind: 'booked' as const })), ...outages.map((o) => ({ ...o, kind: 'outage' as const }))].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
	};
}
