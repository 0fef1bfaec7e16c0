// The waiting list on a real database (both engines): joining only a taken slot, once per person even when
// racing, the first person offered the freed slot by e-mail and holding it, lapsed offers passed on by the
// background job, leaving, and another place's people kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import type { AppError } from '../../server/errors';
import { mailOutbox } from '../../server/db/schema';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { booking, bookingSlot, bookingWaitlist, resource } from './schema';
import { expireWaitlistOffers, heldByOffer, joinWaitlist, leaveWaitlist, markOfferTaken, myWaitlist, offerFreedSlot } from './waitlist.server';

let database: Database;
const ctx: Record<string, PlaceContext> = {};
const ids: Record<string, string> = {};
const H = 3600_000;
const t0 = new Date(Date.now() + 72 * H);
t0.setUTCMinutes(0, 0, 0);
const slot = { startsAt: t0, endsAt: new Date(t0.getTime() + 2 * H) };
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);

beforeAll(async () => {
	database = await freshDatabase({ poolSize: 12 });
	const db = database.db;
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Fab A', slug: 'fab-a' }, null);
		const b = await createPlace(tx, { name: 'Fab B', slug: 'fab-b' }, null);
		ids.place = a.id;
		for (const [key, placeId] of [['booker', a.id], ['bea', a.id], ['chloe', a.id], ['outsider', b.id]] as const) {
			const u = await createUserRecord(tx, { email: `${key}@wait.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, placeId, u.id, 'member', null);
		}
		await tx.insert(resource).values({ id: 'laser-w', placeId: a.id, kind: 'machine', name: 'Laser', slug: 'laser', bookable: true });
		await tx.insert(booking).values({ id: 'bk-1', placeId: a.id, resourceId: 'laser-w', userId: ids.booker, status: 'confirmed', ...slot });
		await tx.insert(bookingSlot).values({ bookingId: 'bk-1', placeId: a.id, resourceId: 'laser-w', ...slot });
	});
	for (const key of ['booker', 'bea', 'chloe']) ctx[key] = await resolvePlace(db, 'fab-a', { id: ids[key], isOperator: false });
	ctx.outsider = await resolvePlace(db, 'fab-b', { id: ids.outsider, isOperator: false });
});
afterAll(async () => {
	await database?.close();
});

describe('waiting list', () => {
	it('refuses a free slot, a past slot, a reversed range and another place’s resource', async () => {
		const free = { resourceId: 'laser-w', startsAt: new Date(t0.getTime() + 5 * H), endsAt: new Date(t0.getTime() + 6 * H) };
		expect((await fail(joinWaitlist(database.db, ctx.bea.scope, free)))?.fields).toEqual({ _: 'waitlist.slot_free' });
		expect((await fail(joinWaitlist(database.db, ctx.bea.scope, { ...slot, resourceId: 'laser-w' }, { now: new Date(t0.getTime() + H) })))?.fields).toEqual({ startsAt: 'waitlist.in_past' });
		expect((await fail(joinWaitlist(database.db, ctx.bea.scope, { resourceId: 'laser-w', startsAt: slot.endsAt, endsAt: slot.startsAt })))?.fields).toEqual({ endsAt: 'waitlist.end_before_start' });
		expect((await fail(joinWaitlist(database.db, ctx.outsider.scope, { ...slot, resourceId: 'laser-w' })))?.code).toBe('not_found');
	});

	it('one entry per person and slot, even for ten clicks at once', async () => {
		const first = await joinWaitlist(database.db, ctx.bea.scope, { ...slot, resourceId: 'laser-w' });
		expect(first.status).toBe('waiting');
		const again = await joinWaitlist(database.db, ctx.bea.scope, { ...slot, resourceId: 'laser-w' });
		expect(again.id).toBe(first.id);
		const racing = await Promise.allSettled(Array.from({ length: 10 }, () => joinWaitlist(database.db, ctx.chloe.scope, { ...slot, resourceId: 'laser-w' })));
		const okIds = new Set(racing.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : [])));
		expect(okIds.size).toBe(1);
		const rows = await database.db.select().from(bookingWaitlist).where(eq(bookingWaitlist.userId, ids.chloe));
		expect(rows).toHaveLength(1);
		expect((await myWaitlist(database.db, ctx.chloe.scope)).map((e) => e.resourceName)).toEqual(['Laser']);
	});

	it('a cancelled booking is offered to the first person waiting, by e-mail, and held for them', async () => {
		const now = new Date();
		const offered = await database.db.transaction(async (tx) => {
			await tx.update(booking).set({ status: 'cancelled', cancelledAt: now, cancelReason: 'member' }).where(eq(booking.id, 'bk-1'));
			return offerFreedSlot(tx, { placeId: ids.place, resourceId: 'laser-w', ...slot, now });
		});
		expect(offered?.userId).toBe(ids.bea);
		expect(offered?.status).toBe('offered');
		expect(offered!.offerExpiresAt!.getTime()).toBe(Math.min(now.getTime() + 12 * H, t0.getTime()));
		const [mail] = await database.db.select().from(mailOutbox).where(and(eq(mailOutbox.to, 'bea@wait.test'), eq(mailOutbox.template, 'mail.waitlist_offer')));
		expect(mail.subject).toContain('Laser');
		expect(mail.text).toMatch(/\/fab-a\/machines\/laser\?semaine=\d{4}-\d{2}-\d{2}&jour=\d{4}-\d{2}-\d{2}&debut=\d{2}%3A00&duree=120#reserver/);
		expect(await heldByOffer(database.db, ids.place, 'laser-w', slot.startsAt, slot.endsAt, ids.chloe, now)).toBe(true);
		expect(await heldByOffer(database.db, ids.place, 'laser-w', slot.startsAt, slot.endsAt, ids.bea, now)).toBe(false);
		// after its deadline the offer holds nothing
		expect(await heldByOffer(database.db, ids.place, 'laser-w', slot.startsAt, slot.endsAt, ids.chloe, new Date(offered!.offerExpiresAt!.getTime() + 1))).toBe(false);
	});

	it('a lapsed offer goes to the next person; leaving an offer passes it on; taking it closes the entry', async () => {
		const [bea] = await database.db.select().from(bookingWaitlist).where(eq(bookingWaitlist.userId, ids.bea));
		const later = new Date(bea.offerExpiresAt!.getTime() - 60_000);
		// not yet lapsed: nothing happens
		expect(await expireWaitlistOffers(database.db, { now: later })).toBe(0);
		// Bea gives it up: Chloé is offered it
		await leaveWaitlist(database.db, ctx.bea.scope, bea.id, { now: later });
		const [chloe] = await database.db.select().from(bookingWaitlist).where(eq(bookingWaitlist.userId, ids.chloe));
		expect(chloe.status).toBe('offered');
		// Chloé lets it lapse: nobody else waits, so the slot is simply free again
		expect(await expireWaitlistOffers(database.db, { now: new Date(chloe.offerExpiresAt!.getTime() + 1000) })).toBe(1);
		const statuses = await database.db.select({ u: bookingWaitlist.userId, s: bookingWaitlist.status }).from(bookingWaitlist);
		expect(Object.fromEntries(statuses.map((x) => [x.u === ids.bea ? 'bea' : 'chloe', x.s]))).toEqual({ bea: 'withdrawn', chloe: 'expired' });
		// a new wait, then the person books it: entry taken
		await database.db.transaction(async (tx) => {
			await tx.insert(booking).values({ id: 'bk-2', placeId: ids.place, resourceId: 'laser-w', userId: ids.booker, status: 'confirmed', ...slot });
			await tx.insert(bookingSlot).values({ bookingId: 'bk-2', placeId: ids.place, resourceId: 'laser-w', ...slot });
		});
		const e = await joinWaitlist(database.db, ctx.chloe.scope, { ...slot, resourceId: 'laser-w' });
		await markOfferTaken(database.db, ids.place, 'laser-w', ids.chloe, slot.startsAt, slot.endsAt);
		expect((await database.db.select().from(bookingWaitlist).where(eq(bookingWaitlist.id, e.id)))[0].status).toBe('taken');
		expect((await fail(leaveWaitlist(database.db, ctx.chloe.scope, e.id)))?.code).toBe('not_found');
	});
});

describe('waiting list with the booking engine', () => {
	it('a cancelled booking goes to the person waiting, who alone can book it until the offer lapses', async () => {
		const { machineSpace, parisAt } = await import('../../../../tests/helpers/booking');
		const { createBooking, cancelBooking } = await import('./commands.server');
		const space = await machineSpace(database, 'fab-engine', [
			['ana', 'member'],
			['ben', 'member'],
			['cy', 'member']
		]);
		const scopes: Record<string, PlaceContext> = {};
		for (const k of ['ana', 'ben', 'cy']) scopes[k] = await resolvePlace(database.db, 'fab-engine', { id: space.ids[k], isOperator: false });
		const cnc = { resourceId: space.ids.cnc, startsAt: parisAt(3, '10:00').toISOString(), endsAt: parisAt(3, '11:00').toISOString() };
		const first = await createBooking(database.db, scopes.ana.scope, cnc);
		expect((await fail(createBooking(database.db, scopes.ben.scope, cnc)))?.code).toBe('slot_taken');
		await joinWaitlist(database.db, scopes.ben.scope, cnc);
		await cancelBooking(database.db, scopes.ana.scope, first.booking.id);
		const [offer] = await database.db.select().from(bookingWaitlist).where(eq(bookingWaitlist.userId, space.ids.ben));
		expect(offer.status).toBe('offered');
		// Cy is too late: the slot is held for Ben (same message path as a taken slot)
		const cy = await fail(createBooking(database.db, scopes.cy.scope, cnc));
		expect(cy?.code).toBe('slot_taken');
		expect(cy?.fields).toEqual({ startsAt: 'waitlist.held' });
		const ben = await createBooking(database.db, scopes.ben.scope, cnc);
		expect(ben.booking.status).toBe('confirmed');
		expect((await database.db.select().from(bookingWaitlist).where(eq(bookingWaitlist.id, offer.id)))[0].status).toBe('taken');
	});
});
