import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { loadDemo, DEMO_SLUG, type DemoContext } from './demo.server';
import { createPlace } from './commands.server';
import { mintScope, type PlaceScope } from './policy';
import { addDays, nextWeekday, wallClock, zonedTimeToUtc, zoneOffsetMs } from './time';
import { listActiveResources, resourcesByKind } from '../booking/queries.server';
import { listPublishedPartners } from '../territory/queries.server';
import { listUpcomingEvents } from '../events/queries.server';
import { listPublishedResidents } from '../residents/queries.server';
import { demoEventPlan, loadEventsDemo } from '../events/demo.server';

let database: Database;
beforeAll(async () => {
	database = await freshDatabase();
});
afterAll(async () => {
	await database?.close();
});

const PARIS = 'Europe/Paris';

function scopeOf(placeId: string, slug: string): PlaceScope {
	return mintScope({ placeId, slug, timezone: PARIS, userId: null, roleKey: null, permissions: new Set(), isOperator: false });
}

async function n(sqlText: string, params: unknown[]): Promise<number> {
	const [r] = await database.query<{ n: string | number }>(sqlText, params);
	return Number(r.n);
}

describe('Paris wall clock -> UTC', () => {
	it('uses winter time the day before and summer time on the day of the spring change (2026-03-29)', () => {
		expect(zonedTimeToUtc('2026-03-28', '14:00', PARIS).toISOString()).toBe('2026-03-28T13:00:00.000Z');
		expect(zonedTimeToUtc('2026-03-29', '14:00', PARIS).toISOString()).toBe('2026-03-29T12:00:00.000Z');
		expect(zonedTimeToUtc('2026-03-29', '01:30', PARIS).toISOString()).toBe('2026-03-29T00:30:00.000Z');
		// 02:30 does not exist that night: moved forward by the one-hour gap (03:30 summer time).
		expect(zonedTimeToUtc('2026-03-29', '02:30', PARIS).toISOString()).toBe('2026-03-29T01:30:00.000Z');
		expect(zonedTimeToUtc('2026-03-29', '03:00', PARIS).toISOString()).toBe('2026-03-29T01:00:00.000Z');
	});

	it('uses summer time the day before and winter time on the day of the autumn change (2026-10-25)', () => {
		expect(zonedTimeToUtc('2026-10-24', '14:00', PARIS).toISOString()).toBe('2026-10-24T12:00:00.000Z');
		expect(zonedTimeToUtc('2026-10-25', '14:00', PARIS).toISOString()).toBe('2026-10-25T13:00:00.000Z');
		expect(zonedTimeToUtc('2026-10-25', '01:30', PARIS).toISOString()).toBe('2026-10-24T23:30:00.000Z');
		// 02:30 happens twice that night: the second (winter time) one.
		expect(zonedTimeToUtc('2026-10-25', '02:30', PARIS).toISOString()).toBe('2026-10-25T01:30:00.000Z');
	});

	it('round-trips through wallClock, whatever the process time zone', () => {
		expect(process.env.TZ).toBe('Asia/Kathmandu');
		for (const [d, t] of [['2026-01-15', '09:05'], ['2026-07-14', '23:59'], ['2026-03-29', '00:00'], ['2026-10-25', '03:00']]) {
			const wc = wallClock(zonedTimeToUtc(d, t, PARIS), PARIS);
			expect(`${wc.date} ${wc.time}`).toBe(`${d} ${t}`);
		}
		expect(zoneOffsetMs(new Date('2026-07-01T00:00:00Z'), PARIS)).toBe(2 * 3600_000);
		expect(zoneOffsetMs(new Date('2026-12-01T00:00:00Z'), 'Asia/Kathmandu')).toBe(5.75 * 3600_000);
	});

	it('finds the next weekday strictly after today in the zone, not in UTC', () => {
		// Friday 2026-11-27 23:30 UTC is already Saturday 00:30 in Paris: the "next Saturday" is a week later.
		expect(nextWeekday(new Date('2026-11-27T23:30:00Z'), PARIS, 6)).toBe('2026-12-05');
		expect(nextWeekday(new Date('2026-11-27T22:30:00Z'), PARIS, 6)).toBe('2026-11-28');
		expect(nextWeekday(new Date('2026-11-27T22:30:00Z'), PARIS, 6, 2)).toBe('2026-12-12');
		expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
	});
});

describe('the La Tréso demo', () => {
	let placeId: string;
	let scope: PlaceScope;
	const before = new Date();

	it('creates the place with its members, residents, resources, partners and events', async () => {
		const r = await loadDemo(database.db);
		expect(r.created).toBe(true);
		placeId = r.placeId;
		scope = scopeOf(placeId, DEMO_SLUG);
		expect(await n('SELECT count(*) AS n FROM place_member WHERE place_id = $1', [placeId])).toBe(12);

		const residents = await database.query<{ email: string; craft: string | null }>(
			`SELECT u.email, rp.craft FROM place_member pm JOIN role r ON r.id = pm.role_id JOIN "user" u ON u.id = pm.user_id
			 LEFT JOIN resident_profile rp ON rp.user_id = pm.user_id AND rp.place_id = pm.place_id
			 WHERE pm.place_id = $1 AND r.key = 'resident' ORDER BY u.email`,
			[placeId]
		);
		expect(residents).toEqual([
			{ email: 'ceramiste@la-treso.demo', craft: 'Céramiste' },
			{ email: 'ebeniste@la-treso.demo', craft: 'Ébéniste' }
		]);
		const directory = await listPublishedResidents(database.db, scope);
		expect(directory.map((d) => d.craft).sort()).toEqual(['Céramiste', 'Ébéniste']);
	});

	it('puts the two qualified machines in the machine room and four benches in the workshop', async () => {
		const all = await listActiveResources(database.db, scope);
		const machines = all.filter((r) => r.kind === 'machine');
		expect(machines.map((m) => m.name).sort()).toEqual(['Découpeuse laser', 'Fraiseuse numérique CNC']);
		expect(machines.every((m) => m.requiresQualification && m.parentName === 'Espace machine')).toBe(true);
		expect(
			await n(
				`SELECT count(*) AS n FROM resource m JOIN resource room ON room.id = m.parent_id
				 WHERE m.place_id = $1 AND m.kind = 'machine' AND m.requires_qualification AND room.kind = 'room' AND room.slug = 'espace-machine'`,
				[placeId]
			)
		).toBe(2);
		const benches = all.filter((r) => r.kind === 'bench');
		expect(benches.map((b) => b.name)).toEqual(['Établi 1', 'Établi 2', 'Établi 3', 'Établi 4']);
		expect(benches.every((b) => b.parentName === 'Atelier partagé')).toBe(true);
		expect(all.find((r) => r.slug === 'cafe-cantine')?.kind).toBe('space');
		const groups = await resourcesByKind(database.db, scope);
		expect(groups.map((g) => g.kind)).toEqual(['machine', 'room', 'bench', 'space']);
	});

	it('lists the eight partners of the interview', async () => {
		const partners = await listPublishedPartners(database.db, scope);
		expect(partners).toHaveLength(8);
		const byName = Object.fromEntries(partners.map((p) => [p.name, p.kind]));
		expect(byName).toMatchObject({
			'Ville de Malakoff': 'public',
			'A+ c’est mieux !': 'network',
			'France Tiers-Lieux': 'network',
			'Dynamo Malakoff': 'association',
			'Ferme urbaine de Malakoff': 'farm',
			'Beat and Beer': 'festival',
			'Scarabée': 'association'
		});
	});

	it('has at least five upcoming published events, all in the future, within four weeks, at their Paris hours', async () => {
		const upcoming = await listUpcomingEvents(database.db, scope);
		expect(upcoming.length).toBeGreaterThanOrEqual(5);
		const inFourWeeks = before.getTime() + 29 * 24 * 3600_000;
		const plan = Object.fromEntries(demoEventPlan(before, PARIS).map((p) => [p.slug, p]));
		for (const e of upcoming) {
			expect(e.startsAt.getTime()).toBeGreaterThan(before.getTime());
			expect(e.startsAt.getTime()).toBeLessThan(inFourWeeks);
			expect(e.endsAt.getTime()).toBeGreaterThan(e.startsAt.getTime());
			expect(wallClock(e.startsAt, PARIS).time).toBe(plan[e.slug].from);
			expect(wallClock(e.endsAt, PARIS).time).toBe(plan[e.slug].to);
		}
		const slugs = upcoming.map((e) => e.slug);
		expect(slugs).toEqual(expect.arrayContaining(['decouverte-decoupe-laser', 'atelier-cuisine-chef', 'repair-cafe', 'concert-beat-and-beer', 'soiree-des-societaires', 'habilitation-decoupeuse-laser']));
		// the past event and the unpublished draft stay out of the public agenda
		expect(slugs).not.toContain('portes-ouvertes');
		expect(slugs).not.toContain('marche-des-createurs');
		expect(upcoming.find((e) => e.slug === 'concert-beat-and-beer')?.partnerName).toBe('Beat and Beer');
		expect(wallClock(upcoming.find((e) => e.slug === 'decouverte-decoupe-laser')!.startsAt, PARIS).weekday).toBe(6);
		const sorted = [...upcoming].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
		expect(upcoming.map((e) => e.id)).toEqual(sorted.map((e) => e.id));
	});

	it('is idempotent: a second load changes nothing', async () => {
		const counts = async () =>
			Promise.all(['place', 'place_member', 'resource', 'partner', 'event', 'resident_profile', '"user"'].map((t) => n(`SELECT count(*) AS n FROM ${t}`, [])));
		const first = await counts();
		const again = await loadDemo(database.db);
		expect(again.created).toBe(false);
		expect(again.placeId).toBe(placeId);
		expect(await counts()).toEqual(first);
	});

	it('keeps every query scoped by place: another place sees none of the demo rows', async () => {
		const other = await database.db.transaction((tx) => createPlace(tx, { name: 'Autre lieu', slug: 'autre-lieu' }, null));
		const s = scopeOf(other.id, other.slug);
		expect(await listActiveResources(database.db, s)).toEqual([]);
		expect(await resourcesByKind(database.db, s)).toEqual([]);
		expect(await listPublishedPartners(database.db, s)).toEqual([]);
		expect(await listUpcomingEvents(database.db, s)).toEqual([]);
		expect(await listPublishedResidents(database.db, s)).toEqual([]);
		// and the demo still sees its own
		expect((await listActiveResources(database.db, scope)).length).toBe(9);
	});

	for (const [label, nowIso, change] of [
		['spring', '2026-03-20T10:00:00Z', '2026-03-29T01:00:00Z'],
		['autumn', '2026-10-16T10:00:00Z', '2026-10-25T01:00:00Z']
	] as const) {
		it(`keeps the intended Paris hours when the four weeks cross the ${label} change`, async () => {
			const now = new Date(nowIso);
			const p = await database.db.transaction(async (tx) => {
				const pl = await createPlace(tx, { name: `DST ${label}`, slug: `dst-${label}` }, null);
				const ctx: DemoContext = { placeId: pl.id, timezone: PARIS, users: {}, actorId: '', now };
				await loadEventsDemo(tx, ctx, {});
				return pl;
			});
			const s = scopeOf(p.id, p.slug);
			const events = await listUpcomingEvents(database.db, s, { now });
			const plan = Object.fromEntries(demoEventPlan(now, PARIS).map((x) => [x.slug, x]));
			expect(events.length).toBeGreaterThanOrEqual(5);
			const offsets = new Set<number>();
			for (const e of events) {
				expect(e.startsAt.getTime()).toBeGreaterThan(now.getTime());
				const wc = wallClock(e.startsAt, PARIS);
				expect(wc.date).toBe(plan[e.slug].date);
				expect(wc.time).toBe(plan[e.slug].from);
				expect(wallClock(e.endsAt, PARIS).time).toBe(plan[e.slug].to);
				offsets.add(zoneOffsetMs(e.startsAt, PARIS));
			}
			// some events fall before the change and some after it: both offsets are in use
			expect(offsets.size).toBe(2);
			expect(events.some((e) => e.startsAt < new Date(change)) && events.some((e) => e.startsAt > new Date(change))).toBe(true);
			expect(await listUpcomingEvents(database.db, s, { now: new Date(now.getTime() + 60 * 24 * 3600_000) })).toEqual([]);
		});
	}

	it('refuses an event that ends before it starts, or a negative price', async () => {
		const base = `INSERT INTO event (id, place_id, title, slug, starts_at, ends_at, price_cents) VALUES ($1, $2, 'x', $1, $3, $4, $5)`;
		await expect(database.query(base, ['bad-1', placeId, '2026-12-01T10:00Z', '2026-12-01T09:00Z', 0])).rejects.toThrow();
		await expect(database.query(base, ['bad-2', placeId, '2026-12-01T10:00Z', '2026-12-01T11:00Z', -1])).rejects.toThrow();
		await expect(database.query(`INSERT INTO resource (id, place_id, kind, name, slug) VALUES ('r1', $1, 'machine', 'Double', 'decoupeuse-laser')`, [placeId])).rejects.toThrow();
	});
});
