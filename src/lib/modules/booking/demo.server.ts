import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../server/db/client';
import { booking, bookingSlot, productPrice, maintenanceLog, openAccessSession, openingException, openingRule, resource } from '../../server/db/schema';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import type { DemoContext } from '../places/demo.server';
import { nextWeekday, addDays, wallClock } from '../places/time';
import type { ResourceKind } from './schema';
import { localMinutesToUtc } from './hours';

type DemoResource = {
	key: string;
	kind: ResourceKind;
	name: string;
	slug: string;
	description: string;
	safetyNotes?: string;
	parent?: string;
	requiresQualification?: boolean;
	/** Members may book it (the room as a whole, a bench of the shared workshop). */
	bookable?: boolean;
	/** Booking settings of the machines members book by the half hour (slot 30 min, 30 min–4 h, 30 days ahead, 24 h to cancel). */
	machine?: { allowedMaterials: string; qualificationMonths: number };
};

// Order matters: a room comes before the machines it contains.
const RESOURCES: DemoResource[] = [
	{
		key: 'cafe',
		kind: 'space',
		name: 'Café-cantine',
		slug: 'cafe-cantine',
		description: 'Le café-cantine : produits locaux et bio, cuisinés sur place par notre chef, à prix très abordables. Sur place ou à emporter ; la salle accueille aussi concerts et soirées.'
	},
	{
		key: 'machine-room',
		kind: 'room',
		name: 'Espace machine',
		slug: 'espace-machine',
		bookable: true,
		description: 'L’espace de fabrication numérique, en accès libre aux heures d’ouverture : découvrir, prototyper, se professionnaliser.',
		safetyNotes: 'Chaussures fermées. Pas de machine sans une personne habilitée présente dans l’espace.'
	},
	{
		key: 'laser',
		kind: 'machine',
		name: 'Découpeuse laser',
		slug: 'decoupeuse-laser',
		parent: 'machine-room',
		requiresQualification: true,
		machine: { allowedMaterials: 'Bois et contreplaqué (jusqu’à 6 mm), MDF, carton, acrylique (PMMA), cuir, tissu, papier. Jamais de PVC, vinyle, polycarbonate ni métal.', qualificationMonths: 24 },
		description: 'Découpe et gravure laser CO₂ (plateau 100 × 60 cm) : bois, carton, acrylique, cuir, tissu.',
		safetyNotes: 'Habilitation obligatoire. Jamais de PVC ni de vinyle (gaz toxiques). Ne jamais laisser la machine sans surveillance pendant une découpe ; extraction allumée.'
	},
	{
		key: 'cnc',
		kind: 'machine',
		name: 'Fraiseuse numérique CNC',
		slug: 'fraiseuse-cnc',
		parent: 'machine-room',
		requiresQualification: true,
		machine: { allowedMaterials: 'Bois massif, contreplaqué, MDF, médium, mousse de modelage, plastiques tendres (POM, PEHD). Pas de métal ferreux.', qualificationMonths: 24 },
		description: 'Fraiseuse à commande numérique grand format (plateau 120 × 120 cm) pour le bois et les panneaux.',
		safetyNotes: 'Habilitation obligatoire. Lunettes et casque antibruit ; pièce bridée avant tout usinage ; aspiration en marche.'
	},
	{
		key: 'workshop',
		kind: 'room',
		name: 'Atelier partagé',
		slug: 'atelier-partage',
		description: 'L’atelier partagé des artisans résidents : établis, outillage à main et électroportatif.',
		safetyNotes: 'Lunettes de protection pour tout outil électroportatif. Rangez et balayez votre établi en partant.'
	},
	...[1, 2, 3, 4].map(
		(n): DemoResource => ({
			key: `bench-${n}`,
			kind: 'bench',
			name: `Établi ${n}`,
			slug: `etabli-${n}`,
			parent: 'workshop',
			bookable: true,
			description: 'Établi de 2 m avec étau, dans l’atelier partagé.'
		})
	)
];

/** Adds the demo's spaces, rooms, machines and benches. Returns their ids by key. */
export async function loadBookingDemo(tx: Tx, ctx: DemoContext): Promise<Record<string, string>> {
	const ids: Record<string, string> = {};
	for (const r of RESOURCES) {
		ids[r.key] = newId();
		await tx.insert(resource).values({
			id: ids[r.key],
			placeId: ctx.placeId,
			kind: r.kind,
			name: r.name,
			slug: r.slug,
			description: r.description,
			safetyNotes: r.safetyNotes ?? '',
			parentId: r.parent ? ids[r.parent] : null,
			requiresQualification: r.requiresQualification ?? false,
			active: true,
			bookable: r.bookable ?? false,
			...(r.machine ? { bookable: true, allowedMaterials: r.machine.allowedMaterials, qualificationMonths: r.machine.qualificationMonths, slotMinutes: 30, minMinutes: 30, maxMinutes: 240, maxAdvanceDays: 30, cancelHours: 24 } : {})
		});
	}
	// Qualifications come from the trainings demo (Léa and Hamid attended the laser training; Sophie missed it).
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.resources', targetType: 'place', targetId: ctx.placeId, data: { count: RESOURCES.length } });
	return ids;
}

/** Minutes from local midnight. */
const hm = (h: number, m = 0) => h * 60 + m;

/**
 * The machine space's running data (after the money demo, which creates the hour products): prices of the
 * laser cutter and the CNC, La Tréso's opening hours (the only source of the place's hours, shown on its home
 * page too: Tuesday–Wednesday 9:00–18:00, Thursday–Friday 9:00–22:00 with an open-access evening on Thursday,
 * Saturday 10:00–18:00), an upcoming closure, and a few maintenance log entries. No bookings: the booking
 * engine adds them.
 */
export async function loadMachineSpaceDemo(tx: Tx, ctx: DemoContext, resources: Record<string, string>, products: Record<string, string>): Promise<void> {
	const prices: Array<[string, string]> = [
		['laser', 'Découpeuse laser (1 h)'],
		['cnc', 'Fraiseuse numérique (1 h)']
	];
	for (const [key, name] of prices)
		if (products[name]) await tx.update(resource).set({ productId: products[name] }).where(and(eq(resource.placeId, ctx.placeId), eq(resource.id, resources[key])));

	const week: Array<[number, number, number]> = [
		[2, hm(9), hm(18)],
		[3, hm(9), hm(18)],
		[4, hm(9), hm(22)],
		[5, hm(9), hm(22)],
		[6, hm(10), hm(18)]
	];
	await tx.insert(openingRule).values(week.map(([weekday, opensMin, closesMin]) => ({ id: newId(), placeId: ctx.placeId, resourceId: null, weekday, opensMin, closesMin })));

	// Open access on Thursday evenings (this one if today is a Thursday) for four weeks, with Camille as referent.
	const referent = ctx.users['equipe@la-treso.demo'] ?? null;
	const today = wallClock(ctx.now, ctx.timezone);
	const firstThursday = today.weekday === 4 ? today.date : nextWeekday(ctx.now, ctx.timezone, 4);
	const sessions = [0, 1, 2, 3].map((w) => {
		const date = addDays(firstThursday, 7 * w);
		return { id: newId(), placeId: ctx.placeId, resourceId: resources['machine-room'], startsAt: localMinutesToUtc(date, hm(18), ctx.timezone), endsAt: localMinutesToUtc(date, hm(21), ctx.timezone), referentId: referent, note: 'Soirée accès libre : venez avec vos fichiers.' };
	});
	await tx.insert(openAccessSession).values(sessions);

	// A Saturday closed for the cooperative's general assembly (two weeks after next Saturday).
	await tx.insert(openingException).values({ id: newId(), placeId: ctx.placeId, resourceId: null, date: nextWeekday(ctx.now, ctx.timezone, 6, 2), closed: true, opensMin: null, closesMin: null, reason: 'Assemblée générale de la SCIC' });

	const daysAgo = (n: number, h: number) => localMinutesToUtc(addDays(today.date, -n), hm(h), ctx.timezone);
	const log: Array<{ key: string; kind: 'maintenance' | 'incident' | 'note'; body: string; at: Date }> = [
		{ key: 'laser', kind: 'note', body: 'Tube CO₂ remplacé (60 W) ; 1 200 h au compteur de l’ancien.', at: daysAgo(75, 11) },
		{ key: 'laser', kind: 'maintenance', body: 'Lentille et miroirs nettoyés, alignement vérifié, filtre de l’extraction changé.', at: daysAgo(21, 10) },
		{ key: 'cnc', kind: 'maintenance', body: 'Glissières graissées, courroies retendues, table de martyr surfacée.', at: daysAgo(40, 14) },
		{ key: 'cnc', kind: 'incident', body: 'Fraise de 6 mm cassée sur du chêne (avance trop rapide). Remplacée ; rappel des vitesses affiché près de la machine.', at: daysAgo(9, 16) }
	];
	await tx.insert(maintenanceLog).values(log.map((l) => ({ id: newId(), placeId: ctx.placeId, resourceId: resources[l.key], kind: l.kind, body: l.body, createdBy: referent, createdAt: l.at })));
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.machine_space', targetType: 'place', targetId: ctx.placeId, data: { openingRules: week.length, sessions: sessions.length, logEntries: log.length } });
}

/**
 * A realistic month of the machine space (after the trainings demo qualified people): the last four weeks of use
 * of the laser cutter and the CNC (checked in and out, so usage and occupancy have history) and the next two
 * weeks' bookings (the team's) on Wednesdays to Saturdays, from tomorrow on. Written as rows (the booking command refuses
 * the past); every slot lies in the opening hours and none overlaps.
 */
export async function loadDemoBookings(tx: Tx, ctx: DemoContext, resources: Record<string, string>): Promise<number> {
	const lea = ctx.users['membre@la-treso.demo'];
	const hamid = ctx.users['hamid@la-treso.demo'];
	// Ahead, the bookings are the team's (Camille, qualified on both machines): the members' own pages stay clear
	// for a visitor trying the demo as Léa or Hamid.
	const camille = ctx.users['equipe@la-treso.demo'];
	if (!lea || !hamid || !camille || !resources.laser || !resources.cnc) return 0;
	// The member price of an hour of each machine (Léa and Hamid are members).
	const hourCents: Record<string, number> = {};
	for (const key of ['laser', 'cnc']) {
		const [p] = await tx
			.select({ cents: productPrice.amountCents })
			.from(resource)
			.innerJoin(productPrice, and(eq(productPrice.productId, resource.productId), eq(productPrice.audience, 'member')))
			.where(eq(resource.id, resources[key]));
		hourCents[key] = p?.cents ?? 0;
	}
	const today = wallClock(ctx.now, ctx.timezone);
	// [resource, person, start, end] per weekday (2 = Tuesday … 6 = Saturday); which pattern depends on the week.
	const PATTERNS: Array<Array<[string, string, number, number]>> = [
		[['laser', lea, hm(10), hm(12)], ['laser', hamid, hm(14), hm(15, 30)], ['cnc', lea, hm(15), hm(17)]],
		[['laser', hamid, hm(10, 30), hm(12)], ['cnc', lea, hm(10), hm(11, 30)], ['laser', lea, hm(16), hm(18)]],
		[['laser', lea, hm(11), hm(13)], ['laser', hamid, hm(16, 30), hm(18)]]
	];
	const rows: Array<typeof booking.$inferInsert> = [];
	for (let d = -28; d <= 14; d++) {
		if (d === 0) continue;
		const date = addDays(today.date, d);
		const weekday = wallClock(localMinutesToUtc(date, hm(12), ctx.timezone), ctx.timezone).weekday;
		// past: Tuesday to Saturday; ahead: Wednesday to Saturday (Tuesdays stay free for newcomers to try)
		if (weekday < (d < 0 ? 2 : 3) || weekday > 6) continue;
		for (const [key, who, from, to] of PATTERNS[(d + 28 + weekday) % PATTERNS.length]) {
			const userId = d < 0 ? who : camille;
			const startsAt = localMinutesToUtc(date, from, ctx.timezone);
			const endsAt = localMinutesToUtc(date, to, ctx.timezone);
			const past = d < 0;
			rows.push({
				id: newId(),
				placeId: ctx.placeId,
				resourceId: resources[key],
				kind: 'booking',
				userId,
				status: 'confirmed',
				startsAt,
				endsAt,
				priceCents: Math.round((hourCents[key] * (to - from)) / 60),
				createdBy: userId,
				createdAt: new Date(startsAt.getTime() - 3 * 86_400_000),
				checkedInAt: past ? new Date(startsAt.getTime() + 5 * 60_000) : null,
				checkedOutAt: past ? new Date(endsAt.getTime() - 10 * 60_000) : null
			});
		}
	}
	if (!rows.length) return 0;
	await tx.insert(booking).values(rows);
	// A machine booking occupies the machine (the room stays free for other machines): one slot row each.
	await tx.insert(bookingSlot).values(rows.map((b) => ({ bookingId: b.id, placeId: ctx.placeId, resourceId: b.resourceId, startsAt: b.startsAt, endsAt: b.endsAt })));
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.bookings', targetType: 'place', targetId: ctx.placeId, data: { count: rows.length } });
	return rows.length;
}
