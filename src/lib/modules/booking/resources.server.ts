// Resource administration (bookings.manage): machines, rooms, benches and spaces with their booking settings.
// One transaction per use case with its audit entry. Reads are scoped by the place.
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx, Tx } from '../../server/db/client';
import { product, productPrice, resource } from '../../server/db/schema';
import { AppError, pgConstraint, pgErrorCode } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { requirePermission, type PlaceScope } from '../places/policy';
import { requireCatalogue } from '../money/catalogue.server';
import { insertProduct } from '../money/commands.server';
import { hourProductInput, resourceInput, type HourProductInput, type ResourceInput } from './admin-inputs';
import type { Resource } from './queries.server';

/** Activities whose products may price a resource's hour. */
export const HOUR_PRODUCT_ACTIVITIES = ['machines', 'other'] as const;

export interface AdminResource extends Resource {
	parentName: string | null;
	productName: string | null;
	publicPriceCents: number | null;
	children: number;
}

const parent = alias(resource, 'parent');

/** Every resource of the place (inactive ones too), rooms first then by name, with parent and price. */
export async function listResourcesAdmin(db: DbOrTx, scope: PlaceScope): Promise<AdminResource[]> {
	requirePermission(scope, 'bookings.manage');
	const rows = await db
		.select({ r: resource, parentName: parent.name, productName: product.name, publicPriceCents: productPrice.amountCents })
		.from(resource)
		.leftJoin(parent, and(eq(parent.id, resource.parentId), eq(parent.placeId, scope.placeId)))
		.leftJoin(product, and(eq(product.id, resource.productId), eq(product.placeId, scope.placeId)))
		.leftJoin(productPrice, and(eq(productPrice.productId, resource.productId), eq(productPrice.placeId, scope.placeId), eq(productPrice.audience, 'public')))
		.where(eq(resource.placeId, scope.placeId))
		.orderBy(asc(resource.name));
	const kids = await db
		.select({ parentId: resource.parentId, n: count() })
		.from(resource)
		.where(eq(resource.placeId, scope.placeId))
		.groupBy(resource.parentId);
	const childCount = new Map(kids.map((k) => [k.parentId, Number(k.n)]));
	const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
	return rows
		.map((x) => ({ ...x.r, parentName: x.parentName, productName: x.productName, publicPriceCents: x.publicPriceCents, children: childCount.get(x.r.id) ?? 0 }))
		.sort((a, b) => collator.compare(a.name, b.name));
}

/** One resource of the place (not_found otherwise, including another place's). */
export async function getResourceAdmin(db: DbOrTx, scope: PlaceScope, id: string): Promise<AdminResource> {
	const list = await listResourcesAdmin(db, scope);
	const r = list.find((x) => x.id === id);
	if (!r) throw new AppError('not_found', { detail: 'resource' });
	return r;
}

/** Products of the place that may price a resource's hour (activity machines or other), active ones first. */
export async function hourProductOptions(db: DbOrTx, scope: PlaceScope): Promise<Array<{ id: string; name: string; active: boolean; publicCents: number | null }>> {
	requirePermission(scope, 'bookings.manage');
	const rows = await db
		.select({ id: product.id, name: product.name, active: product.active, publicCents: productPrice.amountCents })
		.from(product)
		.leftJoin(productPrice, and(eq(productPrice.productId, product.id), eq(productPrice.placeId, scope.placeId), eq(productPrice.audience, 'public')))
		.where(and(eq(product.placeId, scope.placeId), inArray(product.activity, [...HOUR_PRODUCT_ACTIVITIES])))
		.orderBy(asc(product.name));
	return rows.sort((a, b) => Number(b.active) - Number(a.active));
}

/** Checks the parent and the product against the place, under a lock on the parent row. */
async function checkLinks(tx: Tx, scope: PlaceScope, selfId: string | null, input: { kind: string; parentId: string | null; productId: string | null }): Promise<void> {
	const fields: Record<string, string> = {};
	if (input.parentId) {
		if (input.parentId === selfId) fields.parentId = 'resources.own_parent';
		else {
			// why: lock the parent so a concurrent change of its kind (room -> machine) cannot slip a child under a machine.
			const [p] = await tx
				.select({ kind: resource.kind })
				.from(resource)
				.where(and(eq(resource.placeId, scope.placeId), eq(resource.id, input.parentId)))
				.for('update');
			if (!p) fields.parentId = 'resources.bad_parent';
			else if (p.kind === 'machine') fields.parentId = 'resources.parent_is_machine';
			else if (p.kind !== 'room') fields.parentId = 'resources.parent_not_room';
		}
	}
	if (input.productId) {
		const [p] = await tx
			.select({ activity: product.activity })
			.from(product)
			.where(and(eq(product.placeId, scope.placeId), eq(product.id, input.productId)));
		if (!p || !(HOUR_PRODUCT_ACTIVITIES as readonly string[]).includes(p.activity)) fields.productId = 'resources.bad_product';
	}
	if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
}

function slugTaken(e: unknown): AppError | null {
	if (pgErrorCode(e) === '23505' && pgConstraint(e) === 'resource_place_slug_uq') return new AppError('conflict', { fields: { slug: 'resources.slug_taken' }, cause: e });
	return null;
}

function values(input: ReturnType<typeof resourceInput.parse>) {
	return {
		kind: input.kind,
		name: input.name,
		slug: input.slug,
		description: input.description,
		photoUrl: input.photoUrl,
		safetyNotes: input.safetyNotes,
		allowedMaterials: input.allowedMaterials,
		parentId: input.parentId,
		requiresQualification: input.requiresQualification,
		qualificationMonths: input.qualificationMonths,
		bookable: input.bookable,
		active: input.active,
		productId: input.productId,
		slotMinutes: input.slotMinutes,
		minMinutes: input.minMinutes,
		maxMinutes: input.maxMinutes,
		maxAdvanceDays: input.maxAdvanceDays,
		cancelHours: input.cancelHours,
		openAccessOnly: input.openAccessOnly
	};
}

/** Adds a resource to the place. */
export async function createResource(db: Db, scope: PlaceScope, raw: ResourceInput): Promise<{ id: string }> {
	requirePermission(scope, 'bookings.manage');
	const input = parseInput(resourceInput, raw);
	const id = newId();
	try {
		await db.transaction(async (tx) => {
			await checkLinks(tx, scope, null, input);
			await tx.insert(resource).values({ id, placeId: scope.placeId, ...values(input) });
			await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.resource_create', targetType: 'resource', targetId: id, data: { name: input.name, kind: input.kind } });
		});
	} catch (e) {
		throw slugTaken(e) ?? e;
	}
	return { id };
}

/** Changes a resource of the place (every field of the form). */
export async function updateResource(db: Db, scope: PlaceScope, id: string, raw: ResourceInput): Promise<void> {
	requirePermission(scope, 'bookings.manage');
	const input = parseInput(resourceInput, raw);
	try {
		await db.transaction(async (tx) => {
			const [before] = await tx
				.select()
				.from(resource)
				.where(and(eq(resource.placeId, scope.placeId), eq(resource.id, id)))
				.for('update');
			if (!before) throw new AppError('not_found', { detail: 'resource' });
			await checkLinks(tx, scope, id, input);
			if (input.kind !== 'room') {
				// why: only rooms contain resources; under the row lock no child can be added meanwhile.
				const [kids] = await tx
					.select({ n: count() })
					.from(resource)
					.where(and(eq(resource.placeId, scope.placeId), eq(resource.parentId, id)));
				if (Number(kids.n) > 0) throw new AppError('invalid_input', { fields: { kind: 'resources.has_children' } });
			}
			await tx.update(resource).set(values(input)).where(and(eq(resource.placeId, scope.placeId), eq(resource.id, id)));
			const changed = Object.fromEntries(Object.entries(values(input)).filter(([k, v]) => (before as Record<string, unknown>)[k] !== v));
			await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.resource_update', targetType: 'resource', targetId: id, data: { changed } });
		});
	} catch (e) {
		throw slugTaken(e) ?? e;
	}
}

/**
 * Creates a catalogue product for a resource's hour (activity machines; VAT machine time for a machine, room
 * rental otherwise) and sets it as the resource's price. Needs bookings.manage and the catalogue permission.
 */
export async function createHourProduct(db: Db, scope: PlaceScope, resourceId: string, raw: HourProductInput): Promise<{ id: string }> {
	requirePermission(scope, 'bookings.manage');
	requireCatalogue(scope);
	const input = parseInput(hourProductInput, raw);
	return db.transaction(async (tx) => {
		const [r] = await tx
			.select({ kind: resource.kind })
			.from(resource)
			.where(and(eq(resource.placeId, scope.placeId), eq(resource.id, resourceId)))
			.for('update');
		if (!r) throw new AppError('not_found', { detail: 'resource' });
		const p = await insertProduct(tx, scope.placeId, { name: input.name, activity: 'machines', vatCategory: r.kind === 'machine' ? 'machine_time' : 'room', prices: input.prices, active: true });
		await tx.update(resource).set({ productId: p.id }).where(and(eq(resource.placeId, scope.placeId), eq(resource.id, resourceId)));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.hour_product_create', targetType: 'resource', targetId: resourceId, data: { productId: p.id, name: input.name, prices: input.prices } });
		return p;
	});
}
