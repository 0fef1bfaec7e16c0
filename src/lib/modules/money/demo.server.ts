// The money part of the La Tréso demo: a small café-cantine price list and machine time.
import type { Tx } from '../../server/db/client';
import { audit } from '../../server/audit';
import type { DemoContext } from '../places/demo.server';
import type { ProductInput } from './inputs';
import { insertProduct } from './commands.server';

export const DEMO_PRODUCTS: ProductInput[] = [
	{ name: 'Plat du jour', activity: 'cafe', vatCategory: 'food', prices: { public: 1250, member: 1100, reduced: 800, resident: 1000 } },
	{ name: 'Soupe de saison', activity: 'cafe', vatCategory: 'food', prices: { public: 600, member: 550, reduced: 400 } },
	{ name: 'Dessert du jour', activity: 'cafe', vatCategory: 'food', prices: { public: 450, member: 400, reduced: 300 } },
	{ name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 150, reduced: 100 } },
	{ name: 'Jus de pomme local', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 300, member: 250 } },
	{ name: 'Bière pression', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450, member: 400 } },
	{ name: 'Découpeuse laser (1 h)', activity: 'machines', vatCategory: 'machine_time', prices: { public: 3000, member: 2000, resident: 1500 } },
	{ name: 'Imprimante 3D (1 h)', activity: 'machines', vatCategory: 'machine_time', prices: { public: 800, member: 500, resident: 400 } },
	{ name: 'Fraiseuse numérique (1 h)', activity: 'machines', vatCategory: 'machine_time', prices: { public: 4000, member: 2800, resident: 2200 } }
];

/** Loads the demo price list (inside loadDemo's transaction). */
export async function loadMoneyDemo(tx: Tx, ctx: DemoContext): Promise<Record<string, string>> {
	const ids: Record<string, string> = {};
	for (const p of DEMO_PRODUCTS) ids[p.name] = (await insertProduct(tx, ctx.placeId, p)).id;
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.products', targetType: 'place', targetId: ctx.placeId, data: { count: DEMO_PRODUCTS.length } });
	return ids;
}
