// Running the machine space on a real database (PGlite and PostgreSQL 15): resource admin with its guards,
// opening hours, the append-only maintenance log, check-in/out with materials and incidents, usage and
// occupancy, calendar feeds; another place's staff never sees nor edits any of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { auditLog, booking, bookingMaterial, bookingSlot, calendarToken, maintenanceLog, openingRule, resource, resourceOutage } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { newId, sha256 } from '../../server/ids';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct } from '../money/commands.server';
import { createHourProduct, createResource, getResourceAdmin, hourProductOptions, listResourcesAdmin, updateResource } from './resources.server';
import { addException, addOpenAccessSession, deleteException, deleteOpenAccessSession, hoursAdmin, publicHours, referentOptions, setWeeklyHours } from './hours.server';
import { addMaintenanceEntry, bookingsOfDay, checkIn, checkOut, maintenanceLogOf, myCurrentBookings, occupancyOf, upcomingOutages, usageOf } from './operations.server';
import { calendarTokenStatus, createCalendarToken, memberFeed, resourceBusy, revokeCalendarToken } from './calendar.server';
import { busyIcs, memberIcs } from './ics';
import { localMinutesToUtc } from './hours';
import type { ResourceInput } from './admin-inputs';

let database: Database;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};
const tz = 'Europe/Paris';

/** The database's own message of a refused statement (drizzle wraps it as the cause). */
const dbRefusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message));
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);
const base = (over: Partial<ResourceInput> = {}): ResourceInput => ({ kind: 'machine', name: 'Découpeuse laser', slug: 'laser', ...over });

/** A booking row as the booking engine writes it (its occupancy included); tests only. */
async function insertBooking(o: { resourceId: string; userId: string | null; start: Date; end: Date; status?: 'pending' | 'confirmed'; placeId?: string; kind?: 'booking' | 'block' }) {
	const id = newId();
	const placeId = o.placeId ?? ids.placeA;
	await database.db.transaction(async (tx) => {
		await tx.insert(booking).values({ id, placeId, resourceId: o.resourceId, userId: o.userId, kind: o.kind ?? 'booking', status: o.status ?? 'confirmed', startsAt: o.start, endsAt: o.end });
		await tx.insert(bookingSlot).values({ bookingId: id, placeId, resourceId: o.resourceId, startsAt: o.start, endsAt: o.end });
	});
	return id;
}

beforeAll(async () => {
	database = await freshDatabase();
	const db = database.db;
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'La Fab', slug: 'fab-a', timezone: tz }, null);
		const b = await createPlace(tx, { name: 'Autre Fab', slug: 'fab-b', timezone: tz }, null);
		ids.placeA = a.id;
		ids.placeB = b.id;
		for (const [key, roleKey, placeId] of [
			['admin', 'admin', a.id],
			['staff', 'staff', a.id],
			['member', 'member', a.id],
			['other', 'member', a.id],
			['staffB', 'staff', b.id],
			['adminB', 'admin', b.id]
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@ops.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, placeId, u.id, roleKey, null);
		}
	});
	for (const key of ['admin', 'staff', 'member', 'other']) ctx[key] = await resolvePlace(db, 'fab-a', { id: ids[key], isOperator: false });
	for (const key of ['staffB', 'adminB']) ctx[key] = await resolvePlace(db, 'fab-b', { id: ids[key], isOperator: false });
	ctx.anon = await resolvePlace(db, 'fab-a', null);
	ids.laserHour = (await createProduct(db, ctx.admin.scope, { name: 'Laser (1 h)', activity: 'machines', vatCategory: 'machine_time', prices: { public: 3000, member: 2000 } })).id;
	ids.cafe = (await createProduct(db, ctx.admin.scope, { name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 150 } })).id;
	ids.plywood = (await createProduct(db, ctx.admin.scope, { name: 'Contreplaqué 3 mm', activity: 'other', vatCategory: 'service', prices: { public: 500 } })).id;
	ids.productB = (await createProduct(db, ctx.adminB.scope, { name: 'Laser B', activity: 'machines', vatCategory: 'machine_time', prices: { public: 1000 } })).id;
});
afterAll(async () => {
	await database?.close();
});

describe('resource admin', () => {
	it('creates a room and a machine inside it with its booking settings and an hour price, audited', async () => {
		const db = database.db;
		ids.room = (await createResource(db, ctx.staff.scope, { kind: 'room', name: 'Espace machine', slug: 'espace-machine', bookable: true })).id;
		ids.laser = (
			await createResource(db, ctx.staff.scope, base({ parentId: ids.room, productId: ids.laserHour, requiresQualification: true, qualificationMonths: 24, bookable: true, slotMinutes: 30, minMinutes: 30, maxMinutes: 240, allowedMaterials: 'bois, MDF ; jamais de PVC', photoUrl: 'https://example.org/laser.jpg' }))
		).id;
		const r = await getResourceAdmin(db, ctx.staff.scope, ids.laser);
		expect(r).toMatchObject({ kind: 'machine', parentId: ids.room, parentName: 'Espace machine', productId: ids.laserHour, productName: 'Laser (1 h)', publicPriceCents: 3000, qualificationMonths: 24, bookable: true, allowedMaterials: 'bois, MDF ; jamais de PVC' });
		expect((await listResourcesAdmin(db, ctx.staff.scope)).find((x) => x.id === ids.room)?.children).toBe(1);
		const [a] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'booking.resource_create'), eq(auditLog.targetId, ids.laser)));
		expect(a.actorId).toBe(ids.staff);
	});

	it('refuses bad settings with field messages and writes nothing', async () => {
		const db = database.db;
		const before = (await listResourcesAdmin(db, ctx.staff.scope)).length;
		const e1 = await fail(createResource(db, ctx.staff.scope, base({ slug: 'Découpeuse Laser!', minMinutes: 15, slotMinutes: 30, maxMinutes: 45 })));
		expect(e1?.code).toBe('invalid_input');
		expect(e1?.fields).toMatchObject({ slug: 'resources.bad_slug', minMinutes: 'resources.min_below_slot', maxMinutes: 'resources.not_whole_slots' });
		const e2 = await fail(createResource(db, ctx.staff.scope, base({ slug: 'x', photoUrl: 'javascript:alert(1)', qualificationMonths: 0 })));
		expect(e2?.fields).toMatchObject({ photoUrl: 'resources.bad_photo', qualificationMonths: 'field.invalid' });
		expect((await fail(createResource(db, ctx.staff.scope, base({ slug: 'x', productId: ids.cafe }))))?.fields).toEqual({ productId: 'resources.bad_product' });
		// another place's product does not exist here
		expect((await fail(createResource(db, ctx.staff.scope, base({ slug: 'x', productId: ids.productB }))))?.fields).toEqual({ productId: 'resources.bad_product' });
		expect((await fail(createResource(db, ctx.staff.scope, base({ slug: 'laser' }))))?.fields).toEqual({ slug: 'resources.slug_taken' });
		expect((await listResourcesAdmin(db, ctx.staff.scope)).length).toBe(before);
	});

	it('guards the containment: not its own parent, never a machine’s child, a room at the top', async () => {
		const db = database.db;
		const e1 = await fail(updateResource(db, ctx.staff.scope, ids.laser, base({ parentId: ids.laser })));
		expect(e1?.fields).toEqual({ parentId: 'resources.own_parent' });
		const e2 = await fail(createResource(db, ctx.staff.scope, base({ name: 'Aspiration', slug: 'aspiration', parentId: ids.laser })));
		expect(e2?.fields).toEqual({ parentId: 'resources.parent_is_machine' });
		const e3 = await fail(createResource(db, ctx.staff.scope, { kind: 'room', name: 'Sous-salle', slug: 'sous-salle', parentId: ids.room }));
		expect(e3?.fields).toEqual({ parentId: 'resources.room_has_parent' });
		// a room with a machine inside cannot become a machine
		const e4 = await fail(updateResource(db, ctx.staff.scope, ids.room, { kind: 'machine', name: 'Espace machine', slug: 'espace-machine' }));
		expect(e4?.fields).toEqual({ kind: 'resources.has_children' });
		// the database refuses a self-parent even if the code forgot
		await expect(db.update(resource).set({ parentId: ids.laser }).where(eq(resource.id, ids.laser))).rejects.toThrow();
	});

	it('never lets a child slip under a room that is turned into a machine at the same moment', async () => {
		const db = database.db;
		for (let i = 0; i < 6; i++) {
			const room = (await createResource(db, ctx.staff.scope, { kind: 'room', name: `Salle ${i}`, slug: `salle-${i}` })).id;
			const results = await Promise.allSettled([
				createResource(db, ctx.staff.scope, base({ name: `Perceuse ${i}`, slug: `perceuse-${i}`, parentId: room })),
				updateResource(db, ctx.admin.scope, room, { kind: 'machine', name: `Salle ${i}`, slug: `salle-${i}` })
			]);
			// one of the two wins, never both: a machine never contains anything
			expect(results.filter((r) => r.status === 'fulfilled'), `round ${i}`).toHaveLength(1);
			const [bad] = await database.query<{ n: string | number }>(`SELECT count(*) AS n FROM resource c JOIN resource p ON p.id = c.parent_id WHERE p.kind <> 'room'`, []);
			expect(Number(bad.n)).toBe(0);
		}
	});

	it('updates settings (audited with what changed) and creates an hour product from the page', async () => {
		const db = database.db;
		await updateResource(db, ctx.staff.scope, ids.laser, base({ parentId: ids.room, productId: ids.laserHour, bookable: true, requiresQualification: true, slotMinutes: 15, minMinutes: 30, maxMinutes: 180, maxAdvanceDays: 14, cancelHours: 48, openAccessOnly: true }));
		const r = await getResourceAdmin(db, ctx.staff.scope, ids.laser);
		expect(r).toMatchObject({ slotMinutes: 15, maxMinutes: 180, maxAdvanceDays: 14, cancelHours: 48, openAccessOnly: true, qualificationMonths: null });
		const [a] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'booking.resource_update'), eq(auditLog.targetId, ids.laser)));
		expect(a.data).toMatchObject({ changed: { slotMinutes: 15, maxMinutes: 180, maxAdvanceDays: 14 } });
		ids.cnc = (await createResource(db, ctx.staff.scope, base({ name: 'CNC', slug: 'cnc', parentId: ids.room, bookable: true }))).id;
		const p = await createHourProduct(db, ctx.staff.scope, ids.cnc, { name: 'CNC (1 h)', prices: { public: 4000, member: 2800 } });
		expect((await getResourceAdmin(db, ctx.staff.scope, ids.cnc)).productId).toBe(p.id);
		expect((await hourProductOptions(db, ctx.staff.scope)).map((o) => o.name)).toEqual(expect.arrayContaining(['CNC (1 h)', 'Laser (1 h)', 'Contreplaqué 3 mm']));
		expect((await hourProductOptions(db, ctx.staff.scope)).map((o) => o.name)).not.toContain('Café');
	});

	it('is closed to members and to another place’s staff (not found there)', async () => {
		const db = database.db;
		expect((await fail(listResourcesAdmin(db, ctx.member.scope)))?.code).toBe('forbidden');
		expect((await fail(createResource(db, ctx.member.scope, base({ slug: 'y' }))))?.code).toBe('forbidden');
		expect((await fail(listResourcesAdmin(db, ctx.anon.scope)))?.code).toBe('unauthenticated');
		expect((await listResourcesAdmin(db, ctx.staffB.scope)).map((r) => r.id)).not.toContain(ids.laser);
		expect((await fail(getResourceAdmin(db, ctx.staffB.scope, ids.laser)))?.code).toBe('not_found');
		expect((await fail(updateResource(db, ctx.staffB.scope, ids.laser, base({ name: 'Piraté' }))))?.code).toBe('not_found');
		expect((await fail(createResource(db, ctx.staffB.scope, base({ slug: 'laser-b', parentId: ids.room }))))?.fields).toEqual({ parentId: 'resources.bad_parent' });
		expect((await fail(createHourProduct(db, ctx.staffB.scope, ids.laser, { name: 'X', prices: { public: 1 } })))?.code).toBe('not_found');
		expect((await getResourceAdmin(db, ctx.staff.scope, ids.laser)).name).toBe('Découpeuse laser');
	});
});

describe('opening hours', () => {
	it('saves a weekly pattern with several ranges a day, replaces it, and publishes it', async () => {
		const db = database.db;
		const days = { '2': [{ opensMin: 600, closesMin: 1140 }], '6': [{ opensMin: 540, closesMin: 750 }, { opensMin: 840, closesMin: 1080 }] };
		await setWeeklyHours(db, ctx.staff.scope, { resourceId: null, days });
		await setWeeklyHours(db, ctx.staff.scope, { resourceId: null, days: { ...days, '3': [{ opensMin: 600, closesMin: 1140 }] } });
		await setWeeklyHours(db, ctx.staff.scope, { resourceId: ids.laser, days: { '3': [{ opensMin: 840, closesMin: 1320 }] } });
		const rows = await db.select().from(openingRule).where(eq(openingRule.placeId, ids.placeA));
		expect(rows.filter((r) => r.resourceId === null)).toHaveLength(4);
		expect(rows.filter((r) => r.resourceId === ids.laser)).toHaveLength(1);
		// Saturday 28 March 2026 (the day before the DST change) and the next week
		const pub = await publicHours(db, ctx.anon.scope, new Date('2026-03-26T12:00:00Z'));
		expect(pub.today).toBe('2026-03-26');
		expect(pub.week.map((d) => d.date)[0]).toBe('2026-03-23');
		expect(pub.week[5].ranges).toEqual([{ opensMin: 540, closesMin: 750 }, { opensMin: 840, closesMin: 1080 }]);
		// a resource's own hours are not the place's published hours
		expect(pub.week[2].ranges).toEqual([{ opensMin: 600, closesMin: 1140 }]);
	});

	it('refuses overlapping ranges and another place’s resource', async () => {
		const db = database.db;
		const e = await fail(setWeeklyHours(db, ctx.staff.scope, { resourceId: null, days: { '1': [{ opensMin: 600, closesMin: 800 }, { opensMin: 700, closesMin: 900 }] } }));
		expect(e?.fields).toEqual({ 'days.1': 'hours.overlap' });
		expect((await fail(setWeeklyHours(db, ctx.staffB.scope, { resourceId: ids.laser, days: {} })))?.fields).toEqual({ resourceId: 'resources.unknown' });
		expect((await db.select().from(openingRule).where(eq(openingRule.placeId, ids.placeA))).length).toBe(5);
	});

	it('adds closures and special hours, shown publicly; another place cannot delete them', async () => {
		const db = database.db;
		const { ids: [closure] } = await addException(db, ctx.staff.scope, { resourceId: null, date: '2026-04-04', closed: true, reason: 'Inventaire' });
		await addException(db, ctx.staff.scope, { resourceId: null, date: '2026-04-01', closed: false, ranges: [{ opensMin: 600, closesMin: 1380 }], reason: 'Nocturne' });
		const e = await fail(addException(db, ctx.staff.scope, { resourceId: null, date: '2026-02-30', closed: false, ranges: [], reason: '' }));
		expect(e?.fields).toMatchObject({ date: 'hours.bad_date', ranges: 'hours.ranges_required' });
		const pub = await publicHours(db, ctx.anon.scope, new Date('2026-03-30T12:00:00Z'));
		expect(pub.upcoming).toEqual([
			{ date: '2026-04-01', closed: false, ranges: [{ opensMin: 600, closesMin: 1380 }], reason: 'Nocturne' },
			{ date: '2026-04-04', closed: true, ranges: [], reason: 'Inventaire' }
		]);
		expect(pub.week[5]).toMatchObject({ date: '2026-04-04', ranges: [], exception: true });
		expect((await fail(deleteException(db, ctx.staffB.scope, closure)))?.code).toBe('not_found');
		expect((await fail(deleteException(db, ctx.member.scope, closure)))?.code).toBe('forbidden');
		await deleteException(db, ctx.staff.scope, closure);
		expect((await publicHours(db, ctx.anon.scope, new Date('2026-03-30T12:00:00Z'))).upcoming).toHaveLength(1);
	});

	it('adds open-access sessions in local time across the DST change, with a referent of the place', async () => {
		const db = database.db;
		// Sunday 29 March 2026 18:00–21:00 in Paris (clocks went forward that night): 16:00–19:00 UTC.
		const { id } = await addOpenAccessSession(db, ctx.staff.scope, { resourceId: ids.room, referentId: ids.staff, date: '2026-03-29', startMin: 1080, endMin: 1260, note: 'Soirée accès libre' });
		const admin = await hoursAdmin(db, ctx.staff.scope, new Date('2026-03-28T12:00:00Z'));
		const s = admin.sessions.find((x) => x.id === id)!;
		expect(s.startsAt.toISOString()).toBe('2026-03-29T16:00:00.000Z');
		expect(s.endsAt.toISOString()).toBe('2026-03-29T19:00:00.000Z');
		expect(s).toMatchObject({ resourceName: 'Espace machine', referentName: 'staff' });
		expect((await fail(addOpenAccessSession(db, ctx.staff.scope, { resourceId: null, referentId: ids.staffB, date: '2026-03-29', startMin: 1080, endMin: 1260 })))?.fields).toEqual({ referentId: 'hours.unknown_referent' });
		expect((await fail(addOpenAccessSession(db, ctx.staff.scope, { resourceId: null, referentId: null, date: '2026-03-29', startMin: 1260, endMin: 1080 })))?.fields).toEqual({ endMin: 'hours.bad_range' });
		expect((await referentOptions(db, ctx.staff.scope)).map((r) => r.name).sort()).toEqual(['admin', 'staff']);
		expect((await publicHours(db, ctx.anon.scope, new Date('2026-03-28T12:00:00Z'))).sessions).toHaveLength(1);
		expect((await fail(deleteOpenAccessSession(db, ctx.staffB.scope, id)))?.code).toBe('not_found');
		expect((await fail(hoursAdmin(db, ctx.member.scope, new Date())))?.code).toBe('forbidden');
	});
});

describe('maintenance log', () => {
	it('appends entries, newest first, and the database refuses edits and deletions', async () => {
		const db = database.db;
		const { id } = await addMaintenanceEntry(db, ctx.staff.scope, ids.laser, { kind: 'maintenance', body: 'Lentille nettoyée, miroirs alignés.' });
		await addMaintenanceEntry(db, ctx.staff.scope, ids.laser, { kind: 'note', body: 'Tube changé en janvier.' });
		const log = await maintenanceLogOf(db, ctx.staff.scope, ids.laser);
		expect(log.map((l) => l.kind)).toEqual(['note', 'maintenance']);
		expect(log[1]).toMatchObject({ body: 'Lentille nettoyée, miroirs alignés.', authorName: 'staff' });
		expect(await dbRefusal(db.update(maintenanceLog).set({ body: 'effacé' }).where(eq(maintenanceLog.id, id)))).toMatch(/append-only/);
		expect(await dbRefusal(db.delete(maintenanceLog).where(eq(maintenanceLog.id, id)))).toMatch(/append-only/);
		// a reference may only become NULL (account erased)
		await db.update(maintenanceLog).set({ createdBy: null }).where(eq(maintenanceLog.id, id));
		expect(await dbRefusal(db.update(maintenanceLog).set({ createdBy: ids.admin }).where(eq(maintenanceLog.id, id)))).toMatch(/append-only/);
		expect((await maintenanceLogOf(db, ctx.staff.scope, ids.laser)).find((l) => l.id === id)?.body).toBe('Lentille nettoyée, miroirs alignés.');
	});
	it('refuses empty entries, members and other places', async () => {
		const db = database.db;
		expect((await fail(addMaintenanceEntry(db, ctx.staff.scope, ids.laser, { kind: 'repair' as never, body: ' ' })))?.fields).toEqual({ kind: 'field.invalid', body: 'field.required' });
		expect((await fail(addMaintenanceEntry(db, ctx.member.scope, ids.laser, { kind: 'note', body: 'x' })))?.code).toBe('forbidden');
		expect((await fail(addMaintenanceEntry(db, ctx.staffB.scope, ids.laser, { kind: 'note', body: 'x' })))?.code).toBe('not_found');
		expect((await fail(maintenanceLogOf(db, ctx.staffB.scope, ids.laser)))?.code).toBe('not_found');
	});
	it('lists upcoming outages only', async () => {
		const db = database.db;
		const now = new Date('2026-05-01T10:00:00Z');
		await db.insert(resourceOutage).values([
			{ id: newId(), placeId: ids.placeA, resourceId: ids.laser, startsAt: new Date('2026-04-01T08:00:00Z'), endsAt: new Date('2026-04-02T08:00:00Z'), reason: 'Passé' },
			{ id: newId(), placeId: ids.placeA, resourceId: ids.laser, startsAt: new Date('2026-05-10T08:00:00Z'), endsAt: new Date('2026-05-11T16:00:00Z'), reason: 'Changement du tube' }
		]);
		expect((await upcomingOutages(db, ctx.staff.scope, ids.laser, now)).map((o) => o.reason)).toEqual(['Changement du tube']);
		expect(await upcomingOutages(db, ctx.staffB.scope, ids.laser, now)).toEqual([]);
	});
});

describe('check-in, check-out, usage and occupancy', () => {
	const start = localMinutesToUtc('2026-06-02', 600, tz); // Tuesday 2 June 2026, 10:00 Paris
	const end = localMinutesToUtc('2026-06-02', 720, tz);

	it('lets the owner or staff check in once, refuses other members, too early, pending bookings', async () => {
		const db = database.db;
		ids.bk1 = await insertBooking({ resourceId: ids.laser, userId: ids.member, start, end });
		ids.pending = await insertBooking({ resourceId: ids.cnc, userId: ids.member, start, end, status: 'pending' });
		expect((await fail(checkIn(db, ctx.member.scope, ids.bk1, new Date(start.getTime() - 2 * 3_600_000))))?.fields).toEqual({ bookingId: 'presence.too_early' });
		expect((await fail(checkIn(db, ctx.other.scope, ids.bk1, start)))?.code).toBe('not_found');
		expect((await fail(checkIn(db, ctx.staffB.scope, ids.bk1, start)))?.code).toBe('not_found');
		expect((await fail(checkIn(db, ctx.staff.scope, ids.pending, start)))?.fields).toEqual({ bookingId: 'presence.not_confirmed' });
		expect((await fail(checkOut(db, ctx.member.scope, ids.bk1, {}, start)))?.fields).toEqual({ bookingId: 'presence.not_in' });
		await checkIn(db, ctx.member.scope, ids.bk1, new Date(start.getTime() + 10 * 60_000));
		expect((await fail(checkIn(db, ctx.staff.scope, ids.bk1, start)))?.fields).toEqual({ bookingId: 'presence.already_in' });
		const [row] = await db.select().from(booking).where(eq(booking.id, ids.bk1));
		expect(row.checkedInAt?.toISOString()).toBe(new Date(start.getTime() + 10 * 60_000).toISOString());
	});

	it('checks out with materials and an incident that lands in the machine’s log', async () => {
		const db = database.db;
		const bad = await fail(checkOut(db, ctx.member.scope, ids.bk1, { materials: [{ productId: ids.productB, quantity: 1 }, { productId: null, label: '', quantity: 1 }] }, end));
		expect(bad?.fields).toEqual({ 'materials.1.label': 'field.required' });
		const bad2 = await fail(checkOut(db, ctx.member.scope, ids.bk1, { materials: [{ productId: ids.productB, quantity: 1 }] }, end));
		expect(bad2?.fields).toEqual({ 'materials.0.productId': 'presence.unknown_material' });
		const { incidentId } = await checkOut(db, ctx.member.scope, ids.bk1, { materials: [{ productId: ids.plywood, quantity: 2 }, { label: 'Chutes de carton', quantity: 1 }], incident: 'Le nid d’abeille est fendu.' }, new Date(end.getTime() - 15 * 60_000));
		expect(incidentId).toBeTruthy();
		const mats = await db.select().from(bookingMaterial).where(eq(bookingMaterial.bookingId, ids.bk1));
		expect(mats.map((m) => [m.label, m.quantity, m.productId]).sort()).toEqual([
			['Chutes de carton', 1, null],
			['Contreplaqué 3 mm', 2, ids.plywood]
		]);
		const log = await maintenanceLogOf(db, ctx.staff.scope, ids.laser);
		expect(log[0]).toMatchObject({ kind: 'incident', body: 'Le nid d’abeille est fendu.', bookingId: ids.bk1, authorName: 'member' });
		expect((await fail(checkOut(db, ctx.staff.scope, ids.bk1, {}, end)))?.fields).toEqual({ bookingId: 'presence.already_out' });
		// the booking trigger still refuses changing what was booked
		expect(await dbRefusal(db.update(booking).set({ endsAt: new Date(end.getTime() + 3_600_000) }).where(eq(booking.id, ids.bk1)))).toMatch(/immutable/);
	});

	it('serialises a racing double check-in: exactly one wins', async () => {
		const db = database.db;
		const id = await insertBooking({ resourceId: ids.laser, userId: ids.member, start: localMinutesToUtc('2026-06-03', 600, tz), end: localMinutesToUtc('2026-06-03', 660, tz) });
		const at = localMinutesToUtc('2026-06-03', 600, tz);
		const results = await Promise.allSettled([checkIn(db, ctx.member.scope, id, at), checkIn(db, ctx.staff.scope, id, at), checkIn(db, ctx.admin.scope, id, at)]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('conflict');
		const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'booking.check_in'), eq(auditLog.targetId, id)));
		expect(audits).toHaveLength(1);
	});

	it('shows a member only their own confirmed bookings around now, to check in or out', async () => {
		const db = database.db;
		const mine = await myCurrentBookings(db, ctx.member.scope, localMinutesToUtc('2026-06-02', 1200, tz));
		// bk1 (confirmed, today) and the 3 June one (tomorrow morning); not the pending CNC booking
		expect(mine.map((b) => b.id)).toEqual([ids.bk1, expect.any(String)]);
		expect(await myCurrentBookings(db, ctx.other.scope, localMinutesToUtc('2026-06-02', 1200, tz))).toEqual([]);
		expect((await fail(myCurrentBookings(db, ctx.anon.scope, new Date())))?.code).toBe('unauthenticated');
	});

	it('lists the day’s bookings for staff (Paris day), not for members nor another place', async () => {
		const db = database.db;
		ids.block = await insertBooking({ resourceId: ids.room, userId: null, kind: 'block', start: localMinutesToUtc('2026-06-02', 1080, tz), end: localMinutesToUtc('2026-06-02', 1200, tz) });
		const day = await bookingsOfDay(db, ctx.staff.scope, '2026-06-02');
		expect(day.map((d) => [d.resourceName, d.personName, d.status, d.kind])).toEqual([
			['CNC', 'member', 'pending', 'booking'],
			['Découpeuse laser', 'member', 'confirmed', 'booking'],
			['Espace machine', null, 'confirmed', 'block']
		]);
		expect(day[1].checkedOutAt).not.toBeNull();
		expect(await bookingsOfDay(db, ctx.staff.scope, '2026-06-01')).toEqual([]);
		expect((await fail(bookingsOfDay(db, ctx.member.scope, '2026-06-02')))?.code).toBe('forbidden');
		expect(await bookingsOfDay(db, ctx.staffB.scope, '2026-06-02')).toEqual([]);
	});

	it('counts usage per month (checked-in time, else booked) and occupancy per weekday and hour', async () => {
		const db = database.db;
		// bk1: checked in 10:10, out 11:45 = 1 h 35; the 3 June booking: in, not out = booked 1 h
		const usage = await usageOf(db, ctx.staff.scope, ids.laser, new Date('2026-06-20T12:00:00Z'));
		expect(usage).toHaveLength(12);
		expect(usage.at(-1)).toEqual({ month: '2026-06', hours: 2.6, bookings: 2 });
		expect(usage[0].month).toBe('2025-07');
		const heat = await occupancyOf(db, ctx.staff.scope, ids.laser, new Date('2026-06-20T12:00:00Z'), 4);
		expect(heat.weeks).toBe(4);
		// Tuesday 10:00 local: 50 of 60 minutes used in 1 of 4 weeks
		expect(heat.cells[2][10]).toBeCloseTo(50 / 240, 5);
		expect(heat.cells[3][10]).toBeCloseTo(60 / 240, 5);
		expect(heat.hours).toContain(10);
		expect((await fail(usageOf(db, ctx.staffB.scope, ids.laser, new Date())))?.code).toBe('not_found');
		expect((await fail(occupancyOf(db, ctx.member.scope, ids.laser, new Date())))?.code).toBe('forbidden');
	});
});

describe('calendar feeds', () => {
	it('gives a member a private feed of their own bookings only; regenerate replaces, revoke kills, wrong token is null', async () => {
		const db = database.db;
		const now = new Date('2026-06-01T00:00:00Z');
		await insertBooking({ resourceId: ids.cnc, userId: ids.other, start: localMinutesToUtc('2026-06-04', 600, tz), end: localMinutesToUtc('2026-06-04', 660, tz) });
		expect(await calendarTokenStatus(db, ctx.member.scope)).toBeNull();
		const { token } = await createCalendarToken(db, ctx.member.scope);
		const [stored] = await db.select().from(calendarToken).where(eq(calendarToken.userId, ids.member));
		expect(stored.tokenHash).toBe(sha256(token));
		expect(JSON.stringify(stored)).not.toContain(token);
		const feed = await memberFeed(db, ids.placeA, token, now);
		expect(feed?.map((f) => f.resource.name).sort()).toEqual(['CNC', 'Découpeuse laser', 'Découpeuse laser']);
		const ics = memberIcs(feed!, { name: 'La Fab', slug: 'fab-a' }, 'fr');
		const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');
		expect(events).toHaveLength(3);
		expect(ics).not.toContain('other');
		// the same token at another place is nothing
		expect(await memberFeed(db, ids.placeB, token, now)).toBeNull();
		expect(await memberFeed(db, ids.placeA, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), now)).toBeNull();
		expect(await memberFeed(db, ids.placeA, "cal_' OR 1=1 --", now)).toBeNull();
		const second = await createCalendarToken(db, ctx.member.scope);
		expect(await memberFeed(db, ids.placeA, token, now)).toBeNull();
		expect(await memberFeed(db, ids.placeA, second.token, now)).not.toBeNull();
		await revokeCalendarToken(db, ctx.member.scope);
		expect(await memberFeed(db, ids.placeA, second.token, now)).toBeNull();
		expect((await fail(createCalendarToken(db, ctx.anon.scope)))?.code).toBe('unauthenticated');
		const outsider = await resolvePlace(db, 'fab-a', { id: ids.staffB, isOperator: false });
		expect((await fail(createCalendarToken(db, outsider.scope)))?.code).toBe('forbidden');
	});

	it('publishes a machine’s busy times (its bookings, its room’s, outages) without names', async () => {
		const db = database.db;
		const now = new Date('2026-05-01T00:00:00Z');
		const roomBooking = await insertBooking({ resourceId: ids.room, userId: ids.other, start: localMinutesToUtc('2026-06-05', 600, tz), end: localMinutesToUtc('2026-06-05', 720, tz) });
		// what the engine writes for a room: one slot per machine inside
		await db.insert(bookingSlot).values({ bookingId: roomBooking, placeId: ids.placeA, resourceId: ids.laser, startsAt: localMinutesToUtc('2026-06-05', 600, tz), endsAt: localMinutesToUtc('2026-06-05', 720, tz) });
		const { resource: r, periods } = await resourceBusy(db, ctx.anon.scope, 'laser', now);
		expect(periods.map((p) => p.kind)).toEqual(['outage', 'outage', 'booked', 'booked', 'booked']);
		expect(periods.some((p) => p.id === roomBooking)).toBe(false);
		const ics = busyIcs(r, { name: 'La Fab', slug: 'fab-a' }, periods, 'fr', now);
		expect(ics).not.toMatch(/member|other|Contreplaqué|nid d/);
		expect(ics.match(/SUMMARY:Réservé/g)).toHaveLength(3);
		expect((await fail(resourceBusy(db, (await resolvePlace(db, 'fab-b', null)).scope, 'laser', now)))?.code).toBe('not_found');
		await db.execute(sql`UPDATE resource SET active = false WHERE id = ${ids.cnc}`);
		expect((await fail(resourceBusy(db, ctx.anon.scope, 'cnc', now)))?.code).toBe('not_found');
	});
});
