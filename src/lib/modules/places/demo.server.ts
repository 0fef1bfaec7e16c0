import { eq } from 'drizzle-orm';
import type { Db } from '../../server/db/client';
import { place } from '../../server/db/schema';
import { createPlace, addMember } from './commands.server';
import { createUserRecord, findUserByEmail } from '../people/users.server';
import { invalidatePlaceCache } from './cache.server';
import { loadBookingDemo, loadDemoBookings, loadMachineSpaceDemo } from '../booking/demo.server';
import { loadTerritoryDemo } from '../territory/demo.server';
import { loadEventsDemo } from '../events/demo.server';
import { loadResidentsDemo } from '../residents/demo.server';
import { loadMoneyDemo } from '../money/demo.server';
import { loadTrainingsDemo } from '../trainings/demo.server';

export const DEMO_SLUG = 'la-treso';
/** Shared demo password (printed by `lieu demo`; the demo is for trying Lieu, never for real data). */
export const DEMO_PASSWORD = 'demo-treso-2026';

export interface DemoLogin {
	email: string;
	password: string;
	role: string;
	name: string;
}

const PEOPLE: Array<{ name: string; email: string; role: string; locale?: 'fr' | 'en' }> = [
	{ name: 'Aurélien Denaes', email: 'admin@la-treso.demo', role: 'admin' },
	{ name: 'Camille Roux', email: 'equipe@la-treso.demo', role: 'staff' },
	{ name: 'Karim Haddad', email: 'chef@la-treso.demo', role: 'staff' },
	{ name: 'Inès Moreau', email: 'ebeniste@la-treso.demo', role: 'resident' },
	{ name: 'Théo Lambert', email: 'ceramiste@la-treso.demo', role: 'resident' },
	{ name: 'Léa Martin', email: 'membre@la-treso.demo', role: 'member' },
	{ name: 'Hamid Rahimi', email: 'hamid@la-treso.demo', role: 'member' },
	{ name: 'Sophie Bernard', email: 'sophie@la-treso.demo', role: 'member' },
	{ name: 'Lucas Petit', email: 'lucas@la-treso.demo', role: 'member' },
	{ name: 'Emma Durand', email: 'emma@la-treso.demo', role: 'member', locale: 'en' },
	{ name: 'Nadia Benali', email: 'nadia@la-treso.demo', role: 'member' },
	{ name: 'Paul Girard', email: 'paul@la-treso.demo', role: 'member' }
];

/** What each module's demo loader receives, inside loadDemo's transaction. */
export interface DemoContext {
	placeId: string;
	/** The place's time zone: demo times are wall-clock times there. */
	timezone: string;
	/** User ids by demo e-mail. */
	users: Record<string, string>;
	/** The demo administrator (actor of the audit entries). */
	actorId: string;
	/** Demo dates are computed from this instant, so what is "upcoming" always is. */
	now: Date;
}

/**
 * Loads the La Tréso demo place (idempotent: an existing demo is left as is). Returns the demo logins.
 * `now` (tests) sets the instant the demo's upcoming events are computed from.
 */
export async function loadDemo(db: Db, opts: { now?: Date } = {}): Promise<{ placeId: string; created: boolean; logins: DemoLogin[] }> {
	const logins = PEOPLE.map((p) => ({ email: p.email, password: DEMO_PASSWORD, role: p.role, name: p.name }));
	const [existing] = await db.select({ id: place.id }).from(place).where(eq(place.slug, DEMO_SLUG));
	if (existing) return { placeId: existing.id, created: false, logins };
	const placeId = await db.transaction(async (tx) => {
		const users: Record<string, string> = {};
		for (const p of PEOPLE) {
			const u = (await findUserByEmail(tx, p.email)) ?? (await createUserRecord(tx, { email: p.email, name: p.name, password: DEMO_PASSWORD, locale: p.locale ?? 'fr', emailVerified: true, isOperator: p.role === 'admin' }));
			users[p.email] = u.id;
		}
		const pl = await createPlace(
			tx,
			{ name: 'La Tréso', slug: DEMO_SLUG, address: '6 rue Gambetta, 92240 Malakoff', timezone: 'Europe/Paris', legalForm: 'scic' },
			users['admin@la-treso.demo'],
			{
				isDemo: true,
				description: 'Lieu de vie et de fabrications : café-cantine, artisans résidents et atelier partagé, espace machine (découpeuse laser, fraiseuse numérique) en accès libre, ateliers et événements. Une SCIC à Malakoff.'
			}
		);
		for (const p of PEOPLE) await addMember(tx, pl.id, users[p.email], p.role, users['admin@la-treso.demo']);
		// Each module adds its part of the demo, in this same transaction (explicit calls, in dependency order).
		const ctx: DemoContext = { placeId: pl.id, timezone: pl.timezone, users, actorId: users['admin@la-treso.demo'], now: opts.now ?? new Date() };
		const resources = await loadBookingDemo(tx, ctx);
		await loadTrainingsDemo(tx, ctx, resources);
		const partners = await loadTerritoryDemo(tx, ctx);
		await loadEventsDemo(tx, ctx, partners);
		await loadResidentsDemo(tx, ctx);
		const products = await loadMoneyDemo(tx, ctx);
		await loadMachineSpaceDemo(tx, ctx, resources, products);
		await loadDemoBookings(tx, ctx, resources);
		return pl.id;
	});
	invalidatePlaceCache();
	return { placeId, created: true, logins };
}
