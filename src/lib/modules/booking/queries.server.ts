import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../server/db/client';
import { resource } from '../../server/db/schema';
import type { PlaceScope } from '../places/policy';
import { RESOURCE_KINDS, type ResourceKind } from './schema';

export type Resource = typeof resource.$inferSelect;

export interface PublicResource {
	id: string;
	kind: ResourceKind;
	name: string;
	slug: string;
	description: string;
	safetyNotes: string;
	requiresQualification: boolean;
	/** Name of the room it is in, if any. */
	parentName: string | null;
}

const parent = alias(resource, 'parent');

/** Active resources of the place (public list of machines and spaces), in kind order then by name. */
export async function listActiveResources(db: DbOrTx, scope: PlaceScope): Promise<PublicResource[]> {
	const rows = await db
		.select({
			id: resource.id,
			kind: resource.kind,
			name: resource.name,
			slug: resource.slug,
			description: resource.description,
			safetyNotes: resource.safetyNotes,
			requiresQualification: resource.requiresQualification,
			parentName: parent.name
		})
		.from(resource)
		.leftJoin(parent, and(eq(parent.id, resource.parentId), eq(parent.placeId, scope.placeId)))
		.where(and(eq(resource.placeId, scope.placeId), eq(resource.active, true)))
		.orderBy(asc(resource.name));
	const order = (k: string) => RESOURCE_KINDS.indexOf(k as ResourceKind);
	// why: the natural sort ("Établi 10" after "Établi 9") and kind order are done here, not by the database collation.
	const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
	return rows.sort((a, b) => order(a.kind) - order(b.kind) || collator.compare(a.name, b.name));
}

/** Active resources grouped by kind (machine, room, bench, space), empty kinds left out. */
export async function resourcesByKind(db: DbOrTx, scope: PlaceScope): Promise<Array<{ kind: ResourceKind; items: PublicResource[] }>> {
	const all = await listActiveResources(db, scope);
	return RESOURCE_KINDS.map((kind) => ({ kind, items: all.filter((r) => r.kind === kind) })).filter((g) => g.items.length > 0);
}
