import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../server/db/client';
import { openingRule, product, resource } from '../../server/db/schema';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import type { DemoContext } from '../places/demo.server';
import type { ResourceKind } from './schema';

type DemoResource = {
	key: string;
	kind: ResourceKind;
	name: string;
	slug: string;
	description: string;
	safetyNotes?: string;
	parent?: string;
	requiresQualification?: boolean;
	bookable?: boolean;
	allowedMaterials?: string;
	/** Name of the catalogue product (money demo) whose prices are the hour price. */
	product?: string;
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
		bookable: true,
		product: 'Découpeuse laser (1 h)',
		allowedMaterials: 'Bois et contreplaqué (≤ 8 mm), MDF, carton, acrylique (PMMA), cuir, tissu. Jamais de PVC, de vinyle ni de polycarbonate.',
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
		bookable: true,
		product: 'Fraiseuse numérique (1 h)',
		allowedMaterials: 'Bois massif, contreplaqué, MDF, mousse, plastiques tendres. Pas de métal.',
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
			bookable: r.bookable ?? false,
			allowedMaterials: r.allowedMaterials ?? '',
			active: true
		});
	}
	// Opening hours of the place (Tuesday to Saturday), as on its page; the machines follow them.
	const HOURS: Array<[number, number, number]> = [
		[2, 540, 1080],
		[3, 540, 1080],
		[4, 540, 1320],
		[5, 540, 1320],
		[6, 600, 1080]
	];
	await tx.insert(openingRule).values(HOURS.map(([weekday, opensMin, closesMin]) => ({ id: newId(), placeId: ctx.placeId, resourceId: null, weekday, opensMin, closesMin })));
	// Qualifications come from the trainings demo (Léa and Hamid attended the laser training; Sophie missed it).
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.resources', targetType: 'place', targetId: ctx.placeId, data: { count: RESOURCES.length } });
	return ids;
}

/** Links the demo's machines to their catalogue products (hour prices); runs after the money demo created them. */
export async function linkBookingDemoPrices(tx: Tx, ctx: DemoContext): Promise<void> {
	const names = RESOURCES.filter((r) => r.product).map((r) => r.product!);
	const products = await tx
		.select({ id: product.id, name: product.name })
		.from(product)
		.where(and(eq(product.placeId, ctx.placeId), inArray(product.name, names)));
	for (const r of RESOURCES) {
		const p = products.find((x) => x.name === r.product);
		if (p) await tx.update(resource).set({ productId: p.id }).where(and(eq(resource.placeId, ctx.placeId), eq(resource.slug, r.slug)));
	}
}
