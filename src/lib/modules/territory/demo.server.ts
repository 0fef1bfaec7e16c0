import type { Tx } from '../../server/db/client';
import { partner } from '../../server/db/schema';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import type { DemoContext } from '../places/demo.server';
import type { PartnerKind } from './schema';

// The partners named in the La Tréso interview (the educational centre's name is fictional).
const PARTNERS: Array<{ key: string; name: string; kind: PartnerKind; description: string; website?: string }> = [
	{ key: 'ville', name: 'Ville de Malakoff', kind: 'public', description: 'La collectivité a soutenu le projet en rénovant le bâtiment ; partenaire des projets culturels.' },
	{ key: 'aplus', name: 'A+ c’est mieux !', kind: 'network', description: 'Le réseau qui fédère une quarantaine de tiers-lieux ; La Tréso contribue à cette dynamique collective.' },
	{ key: 'ftl', name: 'France Tiers-Lieux', kind: 'network', description: 'Partenaire national et représentant sectoriel des tiers-lieux.' },
	{ key: 'dynamo', name: 'Dynamo Malakoff', kind: 'association', description: 'Association vélo : le projet de vélo cargo pour la collecte des biodéchets.' },
	{ key: 'ferme', name: 'Ferme urbaine de Malakoff', kind: 'farm', description: 'La ferme urbaine valorise les biodéchets du café-cantine.' },
	{ key: 'beat', name: 'Beat and Beer', kind: 'festival', description: 'Le festival avec lequel nous organisons concerts et projets culturels.' },
	{ key: 'scarabee', name: 'Scarabée', kind: 'association', description: 'Association de personnes réfugiées et exilées ; reçoit nos dons alimentaires et nos surplus de production.' },
	{ key: 'cae', name: 'Centre d’action éducative des Hauts-de-Seine Sud', kind: 'public', description: 'Nous travaillons ensemble pour accueillir des publics de tous les horizons dans nos ateliers.' }
];

/** Adds the demo's partners. Returns their ids by key. */
export async function loadTerritoryDemo(tx: Tx, ctx: DemoContext): Promise<Record<string, string>> {
	const ids: Record<string, string> = {};
	for (const p of PARTNERS) {
		ids[p.key] = newId();
		await tx.insert(partner).values({ id: ids[p.key], placeId: ctx.placeId, name: p.name, kind: p.kind, description: p.description, website: p.website ?? null, published: true });
	}
	await audit(tx, { placeId: ctx.placeId, actorId: ctx.actorId, action: 'demo.partners', targetType: 'place', targetId: ctx.placeId, data: { count: PARTNERS.length } });
	return ids;
}
