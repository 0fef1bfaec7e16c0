// The trainings part of the La Tréso demo (both engines): the laser and CNC trainings linked to their machines,
// the demo member qualified for both, the other members never for the CNC, upcoming sessions with seats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, ne } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { resource, user } from '../../server/db/schema';
import { loadDemo, DEMO_SLUG } from '../places/demo.server';
import { resolvePlace } from '../../server/place-context';
import { hasValidQualification } from './qualifications.server';
import { listUpcomingSessions } from './queries.server';
import { trainingRegistration, trainingSession } from './schema';

let database: Database;
let placeId: string;
const now = new Date();
beforeAll(async () => {
	database = await freshDatabase();
	placeId = (await loadDemo(database.db, { now })).placeId;
});
afterAll(async () => {
	await database?.close();
});

const userId = async (email: string) => (await database.db.select({ id: user.id }).from(user).where(eq(user.email, email)))[0].id;
const machine = async (slug: string) => (await database.db.select().from(resource).where(and(eq(resource.placeId, placeId), eq(resource.slug, slug))))[0];

describe('the trainings demo', () => {
	it('the laser and the CNC need a qualification valid 24 months', async () => {
		for (const slug of ['decoupeuse-laser', 'fraiseuse-cnc']) expect(await machine(slug)).toMatchObject({ requiresQualification: true, qualificationMonths: 24 });
	});
	it('qualifies the demo member for both machines, and no other member for the CNC', async () => {
		const laser = (await machine('decoupeuse-laser')).id;
		const cnc = (await machine('fraiseuse-cnc')).id;
		const lea = await userId('membre@la-treso.demo');
		expect(await hasValidQualification(database.db, placeId, lea, laser, now)).toBe(true);
		expect(await hasValidQualification(database.db, placeId, lea, cnc, now)).toBe(true);
		for (const email of ['hamid', 'sophie', 'lucas', 'emma', 'nadia', 'paul']) expect(await hasValidQualification(database.db, placeId, await userId(`${email}@la-treso.demo`), cnc, now), email).toBe(false);
		expect(await hasValidQualification(database.db, placeId, await userId('hamid@la-treso.demo'), laser, now)).toBe(true);
		expect(await hasValidQualification(database.db, placeId, await userId('lucas@la-treso.demo'), laser, now)).toBe(false);
	});
	it('has upcoming sessions with seats left, and counts that match the registrations', async () => {
		const anon = await resolvePlace(database.db, DEMO_SLUG, null);
		const upcoming = await listUpcomingSessions(database.db, anon.scope, { now });
		expect(upcoming.length).toBe(3);
		expect(upcoming.every((s) => s.seatsLeft > 0 && s.trainerName)).toBe(true);
		expect(new Set(upcoming.map((s) => s.typeName))).toEqual(new Set(['Prise en main de la découpeuse laser', 'Initiation à la fraiseuse numérique (CNC)']));
		const sessions = await database.db.select().from(trainingSession).where(and(eq(trainingSession.placeId, placeId), ne(trainingSession.status, 'cancelled')));
		const regs = await database.db.select().from(trainingRegistration).where(and(eq(trainingRegistration.placeId, placeId), ne(trainingRegistration.status, 'cancelled')));
		expect(sessions.length).toBe(5);
		for (const s of sessions) expect(s.registeredCount).toBe(regs.filter((r) => r.sessionId === s.id).length);
		expect(regs.length).toBe(8);
	});
});
