import type { Tx } from '../../server/db/client';
import { event } from '../../server/db/schema';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import type { DemoContext } from '../places/demo.server';
import { addDays, nextWeekday, wallClock, zonedTimeToUtc } from '../places/time';
import type { EventKind } from './schema';

const SAT = 6, TUE = 2, WED = 3, THU = 4, FRI = 5;

export interface DemoEventPlan {
	slug: string;
	title: string;
	kind: EventKind;
	description: string;
	/** Local wall-clock day and hours in the place's zone. */
	date: string;
	from: string;
	to: string;
	startsAt: Date;
	endsAt: Date;
	locationText: string;
	capacity: number | null;
	priceCents: number;
	partner?: string;
	published: boolean;
}

type Spec = Omit<DemoEventPlan, 'date' | 'startsAt' | 'endsAt'> & { date: (now: Date, tz: string) => string };

// Each date is 1 to 28 days after "today" in the place's zone, so the agenda always has what is coming.
const SPECS: Spec[] = [
	{
		slug: 'decouverte-decoupe-laser', title: 'Découverte de la découpe laser', kind: 'workshop',
		description: 'Deux heures pour découvrir la découpeuse laser : sécurité, préparation d’un fichier, et vous repartez avec votre porte-clés gravé. Débutant·es bienvenu·es.',
		date: (n, tz) => nextWeekday(n, tz, SAT), from: '14:00', to: '16:00', locationText: 'Espace machine', capacity: 6, priceCents: 1500, published: true
	},
	{
		slug: 'atelier-cuisine-chef', title: 'Atelier cuisine avec le chef', kind: 'workshop',
		description: 'Cuisiner de saison avec les produits locaux et bio du café-cantine, puis partager le repas ensemble.',
		date: (n, tz) => nextWeekday(n, tz, WED), from: '18:30', to: '21:00', locationText: 'Café-cantine', capacity: 10, priceCents: 2500, published: true
	},
	{
		slug: 'habilitation-decoupeuse-laser', title: 'Habilitation découpeuse laser', kind: 'training',
		description: 'La formation qui ouvre l’accès libre à la découpeuse laser : réglages, matériaux autorisés, sécurité incendie et extraction. Validation en fin de séance.',
		date: (n, tz) => nextWeekday(n, tz, TUE, 1), from: '10:00', to: '12:30', locationText: 'Espace machine', capacity: 4, priceCents: 3000, published: true
	},
	{
		slug: 'concert-beat-and-beer', title: 'Concert avec Beat and Beer', kind: 'event',
		description: 'Une soirée concert au café-cantine avec le festival Beat and Beer. Bar et petite restauration.',
		date: (n, tz) => nextWeekday(n, tz, FRI, 1), from: '20:00', to: '23:30', locationText: 'Café-cantine', capacity: 80, priceCents: 800, partner: 'beat', published: true
	},
	{
		slug: 'repair-cafe', title: 'Repair café', kind: 'event',
		description: 'Apportez un objet en panne (petit électroménager, vélo, vêtement, meuble) : bénévoles et artisans vous aident à le réparer.',
		date: (n, tz) => nextWeekday(n, tz, SAT, 2), from: '10:00', to: '13:00', locationText: 'Atelier partagé', capacity: null, priceCents: 0, partner: 'dynamo', published: true
	},
	{
		slug: 'soiree-des-societaires', title: 'Soirée des sociétaires', kind: 'event',
		description: 'La soirée des membres de la coopérative : nouvelles du lieu, projets à venir, et un verre ensemble. Ouverte aux curieux·ses qui veulent devenir sociétaires.',
		date: (n, tz) => nextWeekday(n, tz, THU, 3), from: '19:00', to: '21:30', locationText: 'Café-cantine', capacity: null, priceCents: 0, published: true
	},
	// A past event, so the agenda visibly shows only what is coming.
	{
		slug: 'portes-ouvertes', title: 'Portes ouvertes de l’atelier partagé', kind: 'event',
		description: 'Les artisans résidents ouvrent leurs établis.',
		date: (n, tz) => addDays(wallClock(n, tz).date, -10), from: '14:00', to: '18:00', locationText: 'Atelier partagé', capacity: null, priceCents: 0, published: true
	},
	// A draft the staff is still preparing: never public.
	{
		slug: 'marche-des-createurs', title: 'Marché des créateurs', kind: 'market',
		description: 'Brouillon : date à confirmer avec les résidents.',
		date: (n, tz) => nextWeekday(n, tz, SAT, 3), from: '11:00', to: '19:00', locationText: 'Café-cantine', capacity: null, priceCents: 0, published: false
	}
];

/** The demo's events for a given "now", with their instants computed in the place's zone (pure: for tests). */
export function demoEventPlan(now: Date, timeZone: string): DemoEventPlan[] {
	return SPECS.map((s) => {
		const date = s.date(now, timeZone);
		return { ...s, date, startsAt: zonedTimeToUtc(date, s.from, timeZone), endsAt: zonedTimeToUtc(date, s.to, timeZone) };
	});
}

/** Adds the demo's workshops, trainings and events around ctx.now. Returns their ids by slug. */
export async function loadEventsDemo(tx: Tx, ctx: DemoContext, partners: Record<string, string>): Promise<Record<string, string>> {
	const ids: Record<string, string> = {};
	const plan = demoEventPlan(ctx.now, ctx.timezone);
	for (const e of plan) {
		ids[e.slug] = newId();
		await tx.insert(event).values({
			id: ids[e.slug],
			placeId: ctx.placeId,
			title: e.title,
			slug: e.slug,
			description: e.description,
			kind: e.kind,
			startsAt: e.startsAt,
			endsAt: e.endsAt,
			locationText: e.locationText,
			capacity: e.capacity,
			priceCents: e.priceCents,
			partnerId: e.partner ? (partners[e.partner] ?? null) : null,
			published: e.published
		});
	}
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.events', targetType: 'place', targetId: ctx.placeId, data: { count: plan.length } });
	return ids;
}
