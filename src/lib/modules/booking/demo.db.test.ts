// The machine-space part of the La Tréso demo: bookable machines priced through the catalogue, opening hours
// Tuesday–Saturday with an open-access evening, a closure, a maintenance log, and a month of bookings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { booking } from '../../server/db/schema';
import { loadDemo } from '../places/demo.server';
import { getMembership } from '../places/queries.server';
import { mintScope, type PlaceScope } from '../places/policy';
import { findUserByEmail } from '../people/users.server';
import { listResourcesAdmin } from './resources.server';
import { hoursAdmin, publicHours } from './hours.server';
import { maintenanceLogOf } from './operations.server';
import { wallClock } from '../places/time';
import { hasValidQualification } from '../trainings/qualifications.server';

let database: Database;
let staff: PlaceScope;
let placeId: string;
const now = new Date('2026-11-26T09:00:00Z'); // a Thursday

beforeAll(async () => {
	database = await freshDatabase();
	placeId = (await loadDemo(database.db, { now })).placeId;
	const u = (await findUserByEmail(database.db, 'equipe@la-treso.demo'))!;
	const m = (await getMembership(database.db, placeId, u.id))!;
	staff = mintScope({ placeId, slug: 'la-treso', timezone: 'Europe/Paris', userId: u.id, roleKey: m.roleKey, permissions: new Set(m.permissions), isOperator: false });
}, 120_000);
afterAll(async () => {
	await database?.close();
});

describe('machine space demo', () => {
	it('makes the laser cutter and the CNC bookable by the half hour, priced by their catalogue products', async () => {
		const all = await listResourcesAdmin(database.db, staff);
		const laser = all.find((r) => r.slug === 'decoupeuse-laser')!;
		const cnc = all.find((r) => r.slug === 'fraiseuse-cnc')!;
		for (const m of [laser, cnc]) expect(m).toMatchObject({ bookable: true, slotMinutes: 30, minMinutes: 30, maxMinutes: 240, maxAdvanceDays: 30, cancelHours: 24, requiresQualification: true, qualificationMonths: 24 });
		expect(laser).toMatchObject({ productName: 'Découpeuse laser (1 h)', publicPriceCents: 3000 });
		expect(cnc).toMatchObject({ productName: 'Fraiseuse numérique (1 h)', publicPriceCents: 4000 });
		expect(laser.allowedMaterials).toContain('Jamais de PVC');
		// the benches of the shared workshop are booked too (by the half hour, free)
		expect(all.find((r) => r.slug === 'etabli-1')?.bookable).toBe(true);
	});

	it('opens Tuesday–Wednesday 9:00–18:00, Thursday–Friday 9:00–22:00, Saturday 10:00–18:00, with Thursday open-access evenings and a closure', async () => {
		const pub = await publicHours(database.db, staff, now);
		expect(pub.week.map((d) => d.ranges.map((r) => [r.opensMin, r.closesMin]))).toEqual([[], [[540, 1080]], [[540, 1080]], [[540, 1320]], [[540, 1320]], [[600, 1080]], []]);
		expect(pub.sessions.length).toBeGreaterThanOrEqual(2);
		expect(pub.sessions[0].startsAt.toISOString()).toBe('2026-11-26T17:00:00.000Z'); // tonight 18:00 in Paris (winter)
		expect(pub.upcoming).toEqual([{ date: '2026-12-12', closed: true, ranges: [], reason: 'Assemblée générale de la SCIC' }]);
		expect((await hoursAdmin(database.db, staff, now)).sessions[0].referentName).toBe('Camille Roux');
	});

	it('has a maintenance log', async () => {
		const all = await listResourcesAdmin(database.db, staff);
		const cnc = all.find((r) => r.slug === 'fraiseuse-cnc')!;
		const log = await maintenanceLogOf(database.db, staff, cnc.id);
		expect(log.map((l) => l.kind)).toEqual(['incident', 'maintenance']);
		expect(log[0].createdAt.getTime()).toBeLessThan(now.getTime());
	});

	it('has a month of bookings: past ones checked in and out, upcoming ones from tomorrow, Wednesday to Saturday, by qualified people, in opening hours, never overlapping', async () => {
		const rows = await database.db.select().from(booking).where(eq(booking.placeId, placeId));
		const past = rows.filter((b) => b.endsAt < now);
		const ahead = rows.filter((b) => b.startsAt > now);
		expect(past.length).toBeGreaterThan(30);
		expect(ahead.length).toBeGreaterThan(10);
		expect(past.length + ahead.length).toBe(rows.length);
		for (const b of past) expect(b.checkedInAt && b.checkedOutAt && b.checkedOutAt > b.checkedInAt).toBeTruthy();
		for (const b of ahead) expect(b.checkedInAt).toBeNull();
		const paris = (d: Date) => {
			const w = wallClock(d, 'Europe/Paris');
			return { ...w, minutes: Number(w.time.slice(0, 2)) * 60 + Number(w.time.slice(3, 5)) };
		};
		const today = paris(now).date;
		for (const b of rows) {
			const s = paris(b.startsAt);
			const e = paris(b.endsAt);
			expect(s.date === today, 'nothing today').toBe(false);
			expect(s.weekday >= (b.startsAt > now ? 3 : 2) && s.weekday <= 6, `${s.date} weekday ${s.weekday}`).toBe(true);
			expect(s.minutes >= (s.weekday === 6 ? 600 : 540) && e.minutes <= (s.weekday === 4 || s.weekday === 5 ? 1320 : 1080), `${s.date} ${s.minutes}-${e.minutes}`).toBe(true);
			expect(await hasValidQualification(database.db, placeId, b.userId!, b.resourceId, b.startsAt)).toBe(true);
		}
		// the database holds their slots: no two bookings of one machine overlap (the constraint would have refused them)
		const [{ n }] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM booking_slot WHERE place_id = $1`, [placeId]);
		expect(n).toBe(rows.length);
	});
});
