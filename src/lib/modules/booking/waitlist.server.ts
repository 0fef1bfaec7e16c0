// The waiting list of a taken slot (issue #4): a member joins it when the slot they want is taken; when a
// booking is cancelled, the first person waiting for a slot inside the freed time is offered it by e-mail and
// holds it for a while (booking_policy.waitlist_offer_hours, never past the slot's start). During the offer,
// nobody else may book over it (the booking command asks heldByOffer); when the offer lapses, the next person
// is offered it (background job 'waitlist.expire').
import { and, asc, eq, getTableColumns, gt, inArray, lt, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { env } from '../../server/env';
import { queueMail } from '../../server/mail';
import { formatDateTime, isLocale } from '../../i18n';
import { place, user } from '../../server/db/schema';
import { requirePermission, type PlaceScope } from '../places/policy';
import { wallClock } from '../places/time';
import { mondayOf } from './rules';
import { bookingPolicy, bookingSlot, bookingWaitlist, resource } from './schema';

export type WaitlistEntry = typeof bookingWaitlist.$inferSelect;

const instant = z.coerce.date('field.invalid').refine((d) => !Number.isNaN(d.getTime()), 'field.invalid');
export const waitlistInput = z
	.strictObject({ resourceId: z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid'), startsAt: instant, endsAt: instant })
	.refine((v) => v.endsAt > v.startsAt, { path: ['endsAt'], message: 'waitlist.end_before_start' });

/** Whether any live booking occupies the resource somewhere in [startsAt, endsAt). */
async function occupied(db: DbOrTx, placeId: string, resourceId: string, startsAt: Date, endsAt: Date): Promise<boolean> {
	const [row] = await db
		.select({ id: bookingSlot.bookingId })
		.from(bookingSlot)
		.where(and(eq(bookingSlot.placeId, placeId), eq(bookingSlot.resourceId, resourceId), lt(bookingSlot.startsAt, endsAt), gt(bookingSlot.endsAt, startsAt)))
		.limit(1);
	return Boolean(row);
}

/**
 * Puts the member on the waiting list of a taken slot (machines.book). A free slot is refused (`slot_free`: book
 * it instead), and so is a slot in the past; joining twice returns the same entry.
 */
export async function joinWaitlist(db: Db, scope: PlaceScope, raw: z.input<typeof waitlistInput>, opts: { now?: Date } = {}): Promise<WaitlistEntry> {
	requirePermission(scope, 'machines.book');
	const input = parseInput(waitlistInput, raw);
	const now = opts.now ?? new Date();
	if (input.startsAt <= now) throw new AppError('invalid_input', { fields: { startsAt: 'waitlist.in_past' } });
	return db.transaction(async (tx) => {
		const [r] = await tx.select({ id: resource.id }).from(resource).where(and(eq(resource.placeId, scope.placeId), eq(resource.id, input.resourceId), eq(resource.active, true)));
		if (!r) throw new AppError('not_found', { detail: 'resource' });
		if (!(await occupied(tx, scope.placeId, r.id, input.startsAt, input.endsAt))) throw new AppError('invalid_input', { fields: { _: 'waitlist.slot_free' } });
		const sameEntry = and(eq(bookingWaitlist.resourceId, r.id), eq(bookingWaitlist.userId, scope.userId!), eq(bookingWaitlist.startsAt, input.startsAt), eq(bookingWaitlist.endsAt, input.endsAt), inArray(bookingWaitlist.status, ['waiting', 'offered']));
		const [row] = await tx
			.insert(bookingWaitlist)
			.values({ id: newId(), placeId: scope.placeId, resourceId: r.id, userId: scope.userId!, startsAt: input.startsAt, endsAt: input.endsAt, createdAt: now })
			.onConflictDoNothing()
			.returning();
		// why: already waiting (a second click, or two racing): the partial unique index kept one entry; return it.
		if (!row) return (await tx.select().from(bookingWaitlist).where(sameEntry))[0];
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.waitlist_join', targetType: 'booking_waitlist', targetId: row.id, data: { resourceId: r.id, startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString() } });
		return row;
	});
}

/** Leaves the waiting list (own entry); an offer given up is passed to the next person. */
export async function leaveWaitlist(db: Db, scope: PlaceScope, entryId: string, opts: { now?: Date } = {}): Promise<void> {
	requirePermission(scope, 'machines.book');
	const now = opts.now ?? new Date();
	await db.transaction(async (tx) => {
		const [e] = await tx
			.update(bookingWaitlist)
			.set({ status: 'withdrawn' })
			.where(and(eq(bookingWaitlist.placeId, scope.placeId), eq(bookingWaitlist.id, String(entryId).slice(0, 64)), eq(bookingWaitlist.userId, scope.userId!), inArray(bookingWaitlist.status, ['waiting', 'offered'])))
			.returning();
		if (!e) throw new AppError('not_found', { detail: 'waitlist entry' });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.waitlist_leave', targetType: 'booking_waitlist', targetId: e.id });
		if (e.offeredAt) await offerFreedSlot(tx, { placeId: e.placeId, resourceId: e.resourceId, startsAt: e.startsAt, endsAt: e.endsAt, now });
	});
}

/** The member's live entries (waiting or offered), soonest first. */
export async function myWaitlist(db: DbOrTx, scope: PlaceScope, now = new Date()): Promise<Array<WaitlistEntry & { resourceName: string; resourceSlug: string }>> {
	if (!scope.userId) return [];
	return db
			.select({ ...getTableColumns(bookingWaitlist), resourceName: resource.name, resourceSlug: resource.slug })
		.from(bookingWaitlist)
		.innerJoin(resource, eq(resource.id, bookingWaitlist.resourceId))
		.where(and(eq(bookingWaitlist.placeId, scope.placeId), eq(bookingWaitlist.userId, scope.userId), inArray(bookingWaitlist.status, ['waiting', 'offered']), gt(bookingWaitlist.endsAt, now)))
		.orderBy(asc(bookingWaitlist.startsAt));
}

/**
 * After time on a resource was freed (a cancelled booking, a lapsed offer): offers it to the first person waiting
 * for a slot inside [startsAt, endsAt) that is now entirely free and not already offered to someone else. Runs
 * in the caller's transaction; queues the e-mail. Returns the entry offered, if any.
 */
export async function offerFreedSlot(tx: Tx, freed: { placeId: string; resourceId: string; startsAt: Date; endsAt: Date; now?: Date }): Promise<WaitlistEntry | undefined> {
	const now = freed.now ?? new Date();
	const candidates = await tx
		.select()
		.from(bookingWaitlist)
		.where(
			and(
				eq(bookingWaitlist.placeId, freed.placeId),
				eq(bookingWaitlist.resourceId, freed.resourceId),
				eq(bookingWaitlist.status, 'waiting'),
				lt(bookingWaitlist.startsAt, freed.endsAt),
				gt(bookingWaitlist.endsAt, freed.startsAt),
				gt(bookingWaitlist.startsAt, now)
			)
		)
		.orderBy(asc(bookingWaitlist.createdAt), asc(bookingWaitlist.id))
		.for('update', { skipLocked: true });
	const [policy] = await tx.select().from(bookingPolicy).where(eq(bookingPolicy.placeId, freed.placeId));
	const hours = policy?.waitlistOfferHours ?? 12;
	for (const c of candidates) {
		if (await occupied(tx, freed.placeId, c.resourceId, c.startsAt, c.endsAt)) continue;
		if (await heldByOffer(tx, freed.placeId, c.resourceId, c.startsAt, c.endsAt, c.userId, now)) continue;
		const expires = new Date(Math.min(now.getTime() + hours * 3600_000, c.startsAt.getTime()));
		const [offered] = await tx
			.update(bookingWaitlist)
			.set({ status: 'offered', offeredAt: now, offerExpiresAt: expires })
			.where(and(eq(bookingWaitlist.id, c.id), eq(bookingWaitlist.status, 'waiting')))
			.returning();
		if (!offered) continue;
		await mailOffer(tx, offered);
		await audit(tx, { placeId: freed.placeId, actorId: null, action: 'booking.waitlist_offer', targetType: 'booking_waitlist', targetId: offered.id, data: { userId: offered.userId, expiresAt: expires.toISOString() } });
		return offered;
	}
	return undefined;
}

async function mailOffer(tx: Tx, e: WaitlistEntry): Promise<void> {
	const [row] = await tx
		.select({ email: user.email, name: user.name, locale: user.locale, placeName: place.name, slug: place.slug, timezone: place.timezone, resourceName: resource.name, resourceSlug: resource.slug })
		.from(bookingWaitlist)
		.innerJoin(user, eq(user.id, bookingWaitlist.userId))
		.innerJoin(place, eq(place.id, bookingWaitlist.placeId))
		.innerJoin(resource, eq(resource.id, bookingWaitlist.resourceId))
		.where(eq(bookingWaitlist.id, e.id));
	if (!row) return;
	const locale = isLocale(row.locale) ? row.locale : 'fr';
	// The machine page with the slot chosen (its week, day, start and duration), ready to book.
	const local = wallClock(e.startsAt, row.timezone);
	const q = new URLSearchParams({ semaine: mondayOf(local.date), jour: local.date, debut: local.time, duree: String(Math.round((e.endsAt.getTime() - e.startsAt.getTime()) / 60_000)) });
	await queueMail(tx, {
		placeId: e.placeId,
		to: row.email,
		locale,
		name: row.name,
		placeName: row.placeName,
		template: 'mail.waitlist_offer',
		params: { resource: row.resourceName, when: formatDateTime(e.startsAt, locale, row.timezone), until: formatDateTime(e.offerExpiresAt!, locale, row.timezone) },
		url: `${env().baseUrl}/${row.slug}/machines/${row.resourceSlug}?${q}#reserver`
	});
}

/**
 * Whether a live offer made to someone else overlaps [startsAt, endsAt) on this resource: the booking command
 * refuses such a slot to anyone but the person offered it, until the offer lapses.
 */
export async function heldByOffer(db: DbOrTx, placeId: string, resourceId: string, startsAt: Date, endsAt: Date, userId: string | null, now = new Date()): Promise<boolean> {
	const [row] = await db.select({ id: bookingWaitlist.id }).from(bookingWaitlist).where(heldByOfferWhere(placeId, resourceId, startsAt, endsAt, userId, now)).limit(1);
	return Boolean(row);
}

/** The condition of heldByOffer on booking_waitlist (also embedded in the booking's context query). */
export function heldByOfferWhere(placeId: string, resourceId: string, startsAt: Date, endsAt: Date, userId: string | null, now: Date) {
	const conds = [
		eq(bookingWaitlist.placeId, placeId),
		eq(bookingWaitlist.resourceId, resourceId),
		eq(bookingWaitlist.status, 'offered'),
		gt(bookingWaitlist.offerExpiresAt, now),
		lt(bookingWaitlist.startsAt, endsAt),
		gt(bookingWaitlist.endsAt, startsAt)
	];
	if (userId) conds.push(ne(bookingWaitlist.userId, userId));
	return and(...conds)!;
}

/** The person offered a slot booked it: their entry is done (call in the booking transaction). */
export async function markOfferTaken(tx: DbOrTx, placeId: string, resourceId: string, userId: string, startsAt: Date, endsAt: Date): Promise<void> {
	await markOfferTakenQuery(tx, placeId, resourceId, userId, startsAt, endsAt);
}

/** The update of markOfferTaken, not run (the booking embeds it in its write statement). */
export function markOfferTakenQuery(tx: DbOrTx, placeId: string, resourceId: string, userId: string, startsAt: Date, endsAt: Date) {
	return tx
		.update(bookingWaitlist)
		.set({ status: 'taken' })
		.where(and(eq(bookingWaitlist.placeId, placeId), eq(bookingWaitlist.resourceId, resourceId), eq(bookingWaitlist.userId, userId), inArray(bookingWaitlist.status, ['waiting', 'offered']), lt(bookingWaitlist.startsAt, endsAt), gt(bookingWaitlist.endsAt, startsAt)));
}

/**
 * Background job: offers that lapsed become 'expired' and pass to the next person; entries whose slot has
 * started are closed. Returns how many offers lapsed.
 */
export async function expireWaitlistOffers(db: Db, opts: { now?: Date } = {}): Promise<number> {
	const now = opts.now ?? new Date();
	return db.transaction(async (tx) => {
		const lapsed = await tx
			.update(bookingWaitlist)
			.set({ status: 'expired' })
			.where(and(eq(bookingWaitlist.status, 'offered'), lt(bookingWaitlist.offerExpiresAt, now)))
			.returning();
		for (const e of lapsed) await offerFreedSlot(tx, { placeId: e.placeId, resourceId: e.resourceId, startsAt: e.startsAt, endsAt: e.endsAt, now });
		await tx
			.update(bookingWaitlist)
			.set({ status: 'expired' })
			.where(and(eq(bookingWaitlist.status, 'waiting'), lt(bookingWaitlist.startsAt, now)));
		return lapsed.length;
	});
}

/** Staff view: who waits for slots of a resource (bookings.manage). */
export async function waitlistOf(db: DbOrTx, scope: PlaceScope, resourceId: string): Promise<WaitlistEntry[]> {
	requirePermission(scope, 'bookings.manage');
	return db
		.select()
		.from(bookingWaitlist)
		.where(and(eq(bookingWaitlist.placeId, scope.placeId), eq(bookingWaitlist.resourceId, resourceId), inArray(bookingWaitlist.status, ['waiting', 'offered'])))
		.orderBy(asc(bookingWaitlist.startsAt), asc(bookingWaitlist.createdAt));
}
