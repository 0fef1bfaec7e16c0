// The booking routes of the JSON API over real HTTP (a node:http server in front of the route handlers), on both
// engines: 200 concurrent conflicting POSTs give one 201 and 199 × 409 slot_taken; room and machines block each
// other both ways; two machines of a room are independent; adjacent slots are fine; cancelling frees the slot;
// not_qualified, out_of_service, closed, invalid_input; another place's people cannot see or book.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, dbKind } from '../../../../tests/helpers/db';
import { machineSpace, parisAt, qualify, type MachineSpace } from '../../../../tests/helpers/booking';
import { startApiServer, type ApiServer } from '../../../../tests/helpers/api-server';
import type { Database } from '../../server/db/client';
import { bootApp, setApp } from '../../server/app';
import { booking, bookingSlot, resource, resourceOutage } from '../../server/db/schema';
import { newId } from '../../server/ids';
import * as resourcesRoute from '../../../routes/api/v1/places/[slug]/resources/+server';
import * as availabilityRoute from '../../../routes/api/v1/places/[slug]/resources/[id]/availability/+server';
import * as bookingsRoute from '../../../routes/api/v1/places/[slug]/bookings/+server';
import * as bookingRoute from '../../../routes/api/v1/places/[slug]/bookings/[id]/+server';
import { eq } from 'drizzle-orm';

let database: Database;
let server: ApiServer;
let base: string;
let A: MachineSpace;
let B: MachineSpace;

beforeAll(async () => {
	database = await freshDatabase({ poolSize: 20 });
	setApp(await bootApp(database));
	A = await machineSpace(database, 'atelier-a', [
		['staff', 'staff'],
		['alice', 'member'],
		['bob', 'member'],
		...Array.from({ length: 8 }, (_, i): [string, 'member'] => [`racer${i}`, 'member'])
	]);
	B = await machineSpace(database, 'atelier-b', [['carol', 'member']]);
	for (const who of ['alice', 'bob', ...Array.from({ length: 8 }, (_, i) => `racer${i}`)]) await qualify(database, A.placeId, A.ids[who], A.ids.laser);
	await qualify(database, B.placeId, B.ids.carol, B.ids.laser);
	// Real HTTP: each request goes through a socket into the same route handlers SvelteKit calls.
	server = await startApiServer({
		'/places/{slug}/resources': resourcesRoute,
		'/places/{slug}/resources/{id}/availability': availabilityRoute,
		'/places/{slug}/bookings': bookingsRoute,
		'/places/{slug}/bookings/{id}': bookingRoute
	});
	base = server.url;
}, 120_000);
afterAll(async () => {
	await server?.close();
	await database?.close();
});

async function api(method: string, path: string, opts: { token?: string; json?: unknown; body?: string } = {}) {
	const headers: Record<string, string> = {};
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	if (opts.json !== undefined || opts.body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`${base}${path}`, { method, headers, body: opts.body ?? (opts.json !== undefined ? JSON.stringify(opts.json) : undefined) });
	const text = await res.text();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: res.status, data: (text ? JSON.parse(text) : undefined) as any };
}

const book = (token: string, resourceId: string, start: Date, end: Date, extra: Record<string, unknown> = {}, slug = 'atelier-a') =>
	api('POST', `/places/${slug}/bookings`, { token, json: { resourceId, startsAt: start.toISOString(), endsAt: end.toISOString(), ...extra } });

describe('GET resources and availability', () => {
	it('lists the active resources of the place, publicly', async () => {
		const r = await api('GET', '/places/atelier-a/resources');
		expect(r.status).toBe(200);
		const laser = r.data.find((x: { id: string }) => x.id === A.ids.laser);
		expect(laser).toMatchObject({ name: 'Découpeuse laser', kind: 'machine', requiresQualification: true, bookable: true, parentId: A.ids.room, slotMinutes: 30 });
		expect(r.data.map((x: { kind: string }) => x.kind)).toEqual(['machine', 'machine', 'room']);
	});
	it('gives free and busy intervals, caps the range, refuses bad dates', async () => {
		const day = parisAt(3, '00:00');
		const next = parisAt(4, '00:00');
		const r = await api('GET', `/places/atelier-a/resources/${A.ids.cnc}/availability?from=${encodeURIComponent(day.toISOString())}&to=${encodeURIComponent(next.toISOString())}`);
		expect(r.status).toBe(200);
		expect(r.data.free).toEqual([{ start: parisAt(3, '08:00').toISOString(), end: parisAt(3, '20:00').toISOString() }]);
		expect(r.data.closed).toHaveLength(2);
		const far = new Date(day.getTime() + 70 * 86_400_000).toISOString();
		const tooLong = await api('GET', `/places/atelier-a/resources/${A.ids.cnc}/availability?from=${encodeURIComponent(day.toISOString())}&to=${encodeURIComponent(far)}`);
		expect(tooLong.status).toBe(400);
		expect(tooLong.data.error.fields.to).toBeTruthy();
		expect((await api('GET', `/places/atelier-a/resources/${A.ids.cnc}/availability?from=hier&to=demain`)).status).toBe(400);
		expect((await api('GET', `/places/atelier-a/resources/${A.ids.cnc}/availability`)).status).toBe(400);
	});
});

describe('POST /bookings under concurrency', () => {
	it('200 concurrent conflicting requests: exactly one 201 and 199 × 409 slot_taken', async () => {
		const start = parisAt(5, '10:00');
		const end = parisAt(5, '12:00');
		const t0 = performance.now();
		const results = await Promise.all(Array.from({ length: 200 }, (_, i) => book(A.tokens[`racer${i % 8}`], A.ids.laser, start, end)));
		const ms = performance.now() - t0;
		console.log(`[booking race ${dbKind}] 200 concurrent POST /bookings in ${ms.toFixed(0)} ms`);
		const statuses = results.map((r) => r.status).sort();
		expect(statuses.filter((s) => s === 201)).toHaveLength(1);
		expect(statuses.filter((s) => s === 409)).toHaveLength(199);
		expect(new Set(results.filter((r) => r.status === 409).map((r) => r.data.error.code))).toEqual(new Set(['slot_taken']));
		const rows = await database.db.select().from(booking).where(eq(booking.resourceId, A.ids.laser));
		expect(rows.filter((b) => b.status !== 'cancelled')).toHaveLength(1);
		if (dbKind === 'postgres') expect(ms).toBeLessThan(15_000);
	}, 120_000);
});

describe('POST /bookings rules', () => {
	it('a room booking blocks its machines, and a machine booking blocks the room', async () => {
		const s = parisAt(6, '09:00');
		const e = parisAt(6, '10:00');
		const room = await book(A.tokens.staff, A.ids.room, s, e);
		expect(room.status).toBe(201);
		expect((await book(A.tokens.bob, A.ids.cnc, s, e)).data.error.code).toBe('slot_taken');
		expect((await book(A.tokens.alice, A.ids.laser, parisAt(6, '09:30'), parisAt(6, '10:30'))).data.error.code).toBe('slot_taken');
		const s2 = parisAt(6, '14:00');
		const e2 = parisAt(6, '15:00');
		expect((await book(A.tokens.bob, A.ids.cnc, s2, e2)).status).toBe(201);
		const r = await book(A.tokens.staff, A.ids.room, parisAt(6, '13:00'), parisAt(6, '14:30'));
		expect([r.status, r.data.error.code]).toEqual([409, 'slot_taken']);
	});
	it('two machines of one room are independent; adjacent slots are accepted', async () => {
		const s = parisAt(7, '10:00');
		const e = parisAt(7, '11:00');
		expect((await book(A.tokens.alice, A.ids.laser, s, e)).status).toBe(201);
		expect((await book(A.tokens.bob, A.ids.cnc, s, e)).status).toBe(201);
		expect((await book(A.tokens.bob, A.ids.laser, e, parisAt(7, '12:00'))).status).toBe(201);
		expect((await book(A.tokens.bob, A.ids.laser, parisAt(7, '09:00'), s)).status).toBe(201);
	});
	it('a cancelled booking frees its slot', async () => {
		const s = parisAt(8, '15:00');
		const e = parisAt(8, '16:00');
		const first = await book(A.tokens.alice, A.ids.laser, s, e);
		expect(first.status).toBe(201);
		expect(first.data).toMatchObject({ status: 'pending', priceCents: 1200, orderId: expect.any(String) });
		expect((await book(A.tokens.bob, A.ids.laser, s, e)).status).toBe(409);
		const del = await api('DELETE', `/places/atelier-a/bookings/${first.data.id}`, { token: A.tokens.alice });
		expect(del).toMatchObject({ status: 200, data: { id: first.data.id, status: 'cancelled' } });
		expect(await database.db.select().from(bookingSlot).where(eq(bookingSlot.bookingId, first.data.id))).toEqual([]);
		expect((await book(A.tokens.bob, A.ids.laser, s, e)).status).toBe(201);
	});
	it('DELETE: someone else’s booking is 404, after the deadline 403 for the member, staff may', async () => {
		// a cancel deadline 30 days ahead: any booking is already past it
		await database.db.update(resource).set({ cancelHours: 720 }).where(eq(resource.id, A.ids.cnc));
		const soon = await book(A.tokens.alice, A.ids.cnc, parisAt(2, '19:30'), parisAt(2, '20:00'));
		expect(soon.status).toBe(201);
		expect((await api('DELETE', `/places/atelier-a/bookings/${soon.data.id}`, { token: A.tokens.bob })).status).toBe(404);
		const late = await api('DELETE', `/places/atelier-a/bookings/${soon.data.id}`, { token: A.tokens.alice });
		expect([late.status, late.data.error.code]).toEqual([403, 'forbidden']);
		expect((await api('DELETE', `/places/atelier-a/bookings/${soon.data.id}`, { token: A.tokens.staff })).status).toBe(200);
		expect((await api('DELETE', `/places/atelier-a/bookings/${soon.data.id}`, { token: A.tokens.staff })).status).toBe(409);
		expect((await api('DELETE', `/places/atelier-a/bookings/nope`, { token: A.tokens.staff })).status).toBe(404);
		await database.db.update(resource).set({ cancelHours: 24 }).where(eq(resource.id, A.ids.cnc));
	});
	it('not_qualified for a person without the qualification', async () => {
		const u = await book(A.tokens.staff, A.ids.laser, parisAt(9, '10:00'), parisAt(9, '11:00'));
		expect([u.status, u.data.error.code]).toEqual([409, 'not_qualified']);
		expect(u.data.error.message).toMatch(/habilitation/);
	});
	it('out_of_service during an outage, closed outside opening hours', async () => {
		await database.db.insert(resourceOutage).values({ id: newId(), placeId: A.placeId, resourceId: A.ids.cnc, startsAt: parisAt(10, '08:00'), endsAt: parisAt(10, '12:00'), reason: 'broche changée' });
		const o = await book(A.tokens.bob, A.ids.cnc, parisAt(10, '11:00'), parisAt(10, '13:00'));
		expect([o.status, o.data.error.code]).toEqual([409, 'out_of_service']);
		const c = await book(A.tokens.bob, A.ids.cnc, parisAt(10, '19:00'), parisAt(10, '21:00'));
		expect([c.status, c.data.error.code]).toEqual([409, 'closed']);
	});
	it('400 invalid_input for bad JSON, bad dates, end before start, off-step times; 401 without a token', async () => {
		const bad = await api('POST', '/places/atelier-a/bookings', { token: A.tokens.bob, body: '{"resourceId":' });
		expect([bad.status, bad.data.error.code]).toEqual([400, 'invalid_input']);
		const dates = await api('POST', '/places/atelier-a/bookings', { token: A.tokens.bob, json: { resourceId: A.ids.cnc, startsAt: '31/12/2026 10h', endsAt: 'demain' } });
		expect([dates.status, Object.keys(dates.data.error.fields).sort()]).toEqual([400, ['endsAt', 'startsAt']]);
		const back = await book(A.tokens.bob, A.ids.cnc, parisAt(11, '11:00'), parisAt(11, '10:00'));
		expect([back.status, back.data.error.fields.endsAt]).toEqual([400, 'La fin doit être après le début.']);
		const step = await book(A.tokens.bob, A.ids.cnc, parisAt(11, '10:10'), parisAt(11, '11:10'));
		expect([step.status, Object.keys(step.data.error.fields)]).toEqual([400, ['startsAt']]);
		expect((await api('POST', '/places/atelier-a/bookings', { json: { resourceId: A.ids.cnc } })).status).toBe(401);
		expect((await book(A.tokens.bob, 'x'.repeat(65), parisAt(11, '10:00'), parisAt(11, '11:00'))).status).toBe(400);
	});
	it('staff may book for a member and block time; members may not book for others', async () => {
		const forAlice = await book(A.tokens.staff, A.ids.cnc, parisAt(12, '10:00'), parisAt(12, '11:00'), { userId: A.ids.alice });
		expect([forAlice.status, forAlice.data.userId]).toEqual([201, A.ids.alice]);
		expect((await book(A.tokens.bob, A.ids.cnc, parisAt(12, '12:00'), parisAt(12, '13:00'), { userId: A.ids.alice })).status).toBe(403);
		const block = await book(A.tokens.staff, A.ids.room, parisAt(12, '06:00'), parisAt(12, '08:00'), { kind: 'block' });
		expect(block.data).toMatchObject({ kind: 'block', userId: null, status: 'confirmed' });
		expect((await book(A.tokens.bob, A.ids.cnc, parisAt(12, '14:00'), parisAt(12, '15:00'), { kind: 'block' })).status).toBe(403);
	});
});

describe('tenant scope', () => {
	it('another place’s people cannot see or book this place’s machines or bookings', async () => {
		const mine = await book(A.tokens.alice, A.ids.cnc, parisAt(13, '10:00'), parisAt(13, '11:00'));
		expect(mine.status).toBe(201);
		// carol (place B) through place A: not a member
		const viaA = await book(B.tokens.carol, A.ids.cnc, parisAt(13, '12:00'), parisAt(13, '13:00'));
		expect([viaA.status, viaA.data.error.code]).toEqual([403, 'forbidden']);
		// carol through her own place with A's machine: it does not exist there
		const viaB = await book(B.tokens.carol, A.ids.cnc, parisAt(13, '12:00'), parisAt(13, '13:00'), {}, 'atelier-b');
		expect(viaB.status).toBe(404);
		expect((await api('GET', `/places/atelier-b/resources/${A.ids.cnc}/availability?from=${encodeURIComponent(parisAt(13, '00:00').toISOString())}&to=${encodeURIComponent(parisAt(14, '00:00').toISOString())}`)).status).toBe(404);
		expect((await api('GET', `/places/atelier-b/bookings/${mine.data.id}`, { token: B.tokens.carol })).status).toBe(404);
		expect((await api('GET', `/places/atelier-a/bookings/${mine.data.id}`, { token: B.tokens.carol })).status).toBe(403);
		expect((await api('DELETE', `/places/atelier-b/bookings/${mine.data.id}`, { token: B.tokens.carol })).status).toBe(404);
		expect((await api('GET', '/places/atelier-b/resources')).data.map((r: { id: string }) => r.id)).not.toContain(A.ids.cnc);
		// the same hour on B's own CNC is free: places never share slots
		expect((await book(B.tokens.carol, B.ids.cnc, parisAt(13, '10:00'), parisAt(13, '11:00'), {}, 'atelier-b')).status).toBe(201);
	});
});
