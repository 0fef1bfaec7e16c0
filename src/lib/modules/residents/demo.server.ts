import type { Tx } from '../../server/db/client';
import { residentProfile } from '../../server/db/schema';
import { audit } from '../../server/audit';
import type { DemoContext } from '../places/demo.server';

const PROFILES: Array<{ email: string; craft: string; bio: string; website?: string }> = [
	{
		email: 'ebeniste@la-treso.demo',
		craft: 'Ébéniste',
		bio: 'Mobilier sur mesure en bois massif de récupération et de forêts locales. Je partage l’atelier et j’anime des initiations au travail du bois.'
	},
	{
		email: 'ceramiste@la-treso.demo',
		craft: 'Céramiste',
		bio: 'Vaisselle en grès tournée à la main, dont celle du café-cantine. Stages de tournage le week-end.'
	}
];

/** Adds the published profiles of the demo's two resident craftspeople. */
export async function loadResidentsDemo(tx: Tx, ctx: DemoContext): Promise<void> {
	for (const p of PROFILES) {
		const userId = ctx.users[p.email];
		if (!userId) throw new Error(`demo resident ${p.email} missing`);
		await tx.insert(residentProfile).values({ userId, placeId: ctx.placeId, craft: p.craft, bio: p.bio, website: p.website ?? null, published: true });
	}
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.residents', targetType: 'place', targetId: ctx.placeId, data: { count: PROFILES.length } });
}
