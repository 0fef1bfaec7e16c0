// The trainings part of the La Tréso demo: the laser and CNC trainings, past sessions whose attendees are
// qualified (Léa, membre@la-treso.demo, for both machines; the other members for the laser at most), and upcoming
// sessions with seats left. Plain inserts (no command per row) to keep the demo loading fast.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../server/db/client';
import { resource } from '../../server/db/schema';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import type { DemoContext } from '../places/demo.server';
import { addDays, nextWeekday, wallClock, zonedTimeToUtc } from '../places/time';
import { qualification, trainingRegistration, trainingSession, trainingType, trainingTypeResource, type RegistrationStatus } from './schema';
import { qualificationExpiry } from './rules';

const MONTHS = 24;

interface DemoSession {
	type: 'laser' | 'cnc';
	/** Local date and time in the place's zone. */
	date: (now: Date, tz: string) => string;
	time: string;
	trainer: string;
	capacity: number;
	note?: string;
	people: Array<[email: string, status: RegistrationStatus]>;
}

const ago = (days: number) => (now: Date, tz: string) => addDays(wallClock(now, tz).date, -days);

const SESSIONS: DemoSession[] = [
	{
		type: 'laser', date: ago(95), time: '10:00', trainer: 'equipe@la-treso.demo', capacity: 6,
		people: [['membre@la-treso.demo', 'attended'], ['hamid@la-treso.demo', 'attended'], ['sophie@la-treso.demo', 'absent'], ['lucas@la-treso.demo', 'absent']]
	},
	{ type: 'cnc', date: ago(40), time: '14:00', trainer: 'ebeniste@la-treso.demo', capacity: 4, people: [['membre@la-treso.demo', 'attended']] },
	{
		type: 'laser', date: (n, tz) => nextWeekday(n, tz, 6), time: '10:00', trainer: 'equipe@la-treso.demo', capacity: 6,
		note: 'Apportez un petit objet à graver (bois, carton, cuir) si vous le souhaitez.',
		people: [['nadia@la-treso.demo', 'registered'], ['paul@la-treso.demo', 'registered']]
	},
	{ type: 'cnc', date: (n, tz) => nextWeekday(n, tz, 4, 1), time: '14:00', trainer: 'ebeniste@la-treso.demo', capacity: 4, note: 'Chaussures fermées et cheveux attachés.', people: [['emma@la-treso.demo', 'registered']] },
	{ type: 'laser', date: (n, tz) => nextWeekday(n, tz, 6, 3), time: '14:00', trainer: 'equipe@la-treso.demo', capacity: 6, people: [] }
];

/** Adds the demo's training types, sessions, registrations and qualifications. `resources` are the booking demo's ids by key. */
export async function loadTrainingsDemo(tx: Tx, ctx: DemoContext, resources: Record<string, string>): Promise<void> {
	const machines = { laser: resources.laser, cnc: resources.cnc };
	// The machines need a qualification, valid 24 months.
	await tx
		.update(resource)
		.set({ requiresQualification: true, qualificationMonths: MONTHS })
		.where(and(eq(resource.placeId, ctx.placeId), inArray(resource.id, [machines.laser, machines.cnc])));
	const types = {
		laser: { id: newId(), name: 'Prise en main de la découpeuse laser', minutes: 180, price: 2500, description: 'Sécurité (jamais de PVC, surveillance, extraction), préparation d’un fichier vectoriel, réglages puissance et vitesse par matériau, première découpe. Ouvre l’habilitation à la découpeuse laser pour 2 ans.' },
		cnc: { id: newId(), name: 'Initiation à la fraiseuse numérique (CNC)', minutes: 240, price: 4000, description: 'Sécurité, bridage de la pièce, choix des fraises, de la FAO à l’usinage d’une première pièce en contreplaqué. Ouvre l’habilitation à la fraiseuse numérique pour 2 ans.' }
	};
	for (const key of ['laser', 'cnc'] as const) {
		const ty = types[key];
		await tx.insert(trainingType).values({ id: ty.id, placeId: ctx.placeId, name: ty.name, description: ty.description, durationMinutes: ty.minutes, priceCents: ty.price });
		await tx.insert(trainingTypeResource).values({ trainingTypeId: ty.id, resourceId: machines[key] });
	}
	const sessionRows: Array<typeof trainingSession.$inferInsert> = [];
	const registrationRows: Array<typeof trainingRegistration.$inferInsert> = [];
	const qualificationRows: Array<typeof qualification.$inferInsert> = [];
	for (const s of SESSIONS) {
		const ty = types[s.type];
		const startsAt = zonedTimeToUtc(s.date(ctx.now, ctx.timezone), s.time, ctx.timezone);
		const endsAt = new Date(startsAt.getTime() + ty.minutes * 60_000);
		const past = endsAt.getTime() < ctx.now.getTime();
		const id = newId();
		sessionRows.push({ id, placeId: ctx.placeId, trainingTypeId: ty.id, startsAt, endsAt, trainerId: ctx.users[s.trainer], capacity: s.capacity, status: past ? 'done' : 'scheduled', note: s.note ?? '' });
		for (const [email, status] of s.people) {
			registrationRows.push({ id: newId(), placeId: ctx.placeId, sessionId: id, userId: ctx.users[email], status });
			if (status === 'attended')
				qualificationRows.push({ id: newId(), placeId: ctx.placeId, userId: ctx.users[email], resourceId: machines[s.type], grantedBy: ctx.users[s.trainer], grantedAt: endsAt, expiresAt: qualificationExpiry(startsAt, MONTHS, ctx.timezone), sessionId: id });
		}
	}
	// The trainers themselves, qualified directly a year ago.
	const yearAgo = zonedTimeToUtc(addDays(wallClock(ctx.now, ctx.timezone).date, -365), '09:00', ctx.timezone);
	for (const [email, key] of [['equipe@la-treso.demo', 'laser'], ['equipe@la-treso.demo', 'cnc'], ['ebeniste@la-treso.demo', 'cnc']] as const)
		qualificationRows.push({ id: newId(), placeId: ctx.placeId, userId: ctx.users[email], resourceId: machines[key], grantedBy: ctx.actorId, grantedAt: yearAgo, expiresAt: qualificationExpiry(yearAgo, MONTHS, ctx.timezone) });
	await tx.insert(trainingSession).values(sessionRows);
	await tx.insert(trainingRegistration).values(registrationRows);
	await tx.insert(qualification).values(qualificationRows);
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.trainings', targetType: 'place', targetId: ctx.placeId, data: { types: 2, sessions: sessionRows.length, qualifications: qualificationRows.length } });
}
