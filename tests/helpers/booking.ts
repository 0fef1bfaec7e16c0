// A machine space for booking tests: a place (Europe/Paris) open every day 08:00–20:00, a room "Espace machine"
// holding a laser cutter (qualification required, priced per hour) and a CNC (free), members with tokens.
import type { Database } from '../../src/lib/server/db/client';
import { openingRule, qualification, resource } from '../../src/lib/server/db/schema';
import { createPlace, addMember } from '../../src/lib/modules/places/commands.server';
import { createUserRecord } from '../../src/lib/modules/people/users.server';
import { createApiToken } from '../../src/lib/modules/people/tokens.server';
import { insertProduct } from '../../src/lib/modules/money/commands.server';
import { newId } from '../../src/lib/server/ids';
import { addDays, wallClock } from '../../src/lib/modules/places/time';
import { localMinuteToUtc } from '../../src/lib/modules/booking/rules';

export interface MachineSpace {
	placeId: string;
	slug: string;
	ids: Record<string, string>;
	tokens: Record<string, string>;
}

export const PARIS = 'Europe/Paris';

/** The instant of a local time (HH:MM) `days` days after today in Paris. */
export function parisAt(days: number, time: string, now = new Date()): Date {
	const [h, m] = time.split(':').map(Number);
	return localMinuteToUtc(addDays(wallClock(now, PARIS).date, days), h * 60 + m, PARIS);
}

export async function machineSpace(database: Database, slug: string, people: Array<[string, 'member' | 'staff' | 'admin' | 'resident']>): Promise<MachineSpace> {
	const ids: Record<string, string> = {};
	const tokens: Record<string, string> = {};
	await database.db.transaction(async (tx) => {
		const p = await createPlace(tx, { name: `Lieu ${slug}`, slug }, null);
		ids.place = p.id;
		for (const [key, roleKey] of people) {
			const u = await createUserRecord(tx, { email: `${key}@${slug}.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, p.id, u.id, roleKey, null);
		}
		ids.product = (await insertProduct(tx, p.id, { name: 'Heure de découpe laser', activity: 'machines', vatCategory: 'machine_time', prices: { public: 1800, member: 1200 } })).id;
		ids.room = newId();
		ids.laser = newId();
		ids.cnc = newId();
		await tx.insert(resource).values([
			{ id: ids.room, placeId: p.id, kind: 'room', name: 'Espace machine', slug: 'espace-machine', bookable: true, slotMinutes: 30, minMinutes: 30, maxMinutes: 480 },
			{ id: ids.laser, placeId: p.id, kind: 'machine', name: 'Découpeuse laser', slug: 'decoupeuse-laser', parentId: ids.room, bookable: true, requiresQualification: true, productId: ids.product, allowedMaterials: 'bois, carton, acrylique ; jamais de PVC', safetyNotes: 'Ne jamais laisser la machine sans surveillance.' },
			{ id: ids.cnc, placeId: p.id, kind: 'machine', name: 'Fraiseuse CNC', slug: 'fraiseuse-cnc', parentId: ids.room, bookable: true }
		]);
		await tx.insert(openingRule).values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ id: newId(), placeId: p.id, resourceId: null, weekday, opensMin: 8 * 60, closesMin: 20 * 60 })));
	});
	for (const [key] of people) tokens[key] = (await createApiToken(database.db, ids[key], { name: key })).token;
	return { placeId: ids.place, slug, ids, tokens };
}

/** Grants a live qualification directly (the trainings module owns the real commands). */
export async function qualify(database: Database, placeId: string, userId: string, resourceId: string): Promise<void> {
	await database.db.insert(qualification).values({ id: newId(), placeId, userId, resourceId });
}
