import { and, asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { place, placeMember, role } from '../../server/db/schema';
import type { PlaceScope } from './policy';

export type Place = typeof place.$inferSelect;

export async function countPlaces(db: DbOrTx): Promise<number> {
	const [r] = await db.select({ n: count() }).from(place);
	return Number(r.n);
}

export async function listPlaces(db: DbOrTx): Promise<Place[]> {
	return db.select().from(place).orderBy(asc(place.name));
}

export async function getPlaceBySlug(db: DbOrTx, slug: string): Promise<Place | undefined> {
	const [p] = await db.select().from(place).where(eq(place.slug, slug)).limit(1);
	return p;
}

/** The place a URL without slug means: the only place of a single-place instance. */
export async function getDefaultPlace(db: DbOrTx): Promise<Place | undefined> {
	const rows = await db.select().from(place).orderBy(asc(place.createdAt)).limit(2);
	return rows.length === 1 ? rows[0] : undefined;
}

/** A person's membership in a place: role key and permissions, or undefined. */
export async function getMembership(db: DbOrTx, placeId: string, userId: string) {
	const [m] = await db
		.select({ roleId: role.id, roleKey: role.key, roleName: role.name, permissions: role.permissions })
		.from(placeMember)
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(and(eq(placeMember.placeId, placeId), eq(placeMember.userId, userId)))
		.limit(1);
	return m;
}

/** Places a person belongs to (for the place switcher and /api/v1/me). */
export async function placesOf(db: DbOrTx, userId: string) {
	return db
		.select({ slug: place.slug, name: place.name, role: role.key })
		.from(placeMember)
		.innerJoin(place, eq(place.id, placeMember.placeId))
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(eq(placeMember.userId, userId))
		.orderBy(asc(place.name));
}

export async function listRoles(db: DbOrTx, scope: PlaceScope) {
	return db.select().from(role).where(eq(role.placeId, scope.placeId)).orderBy(asc(role.createdAt));
}

export async function getPlaceById(db: DbOrTx, scope: PlaceScope): Promise<Place> {
	const [p] = await db.select().from(place).where(eq(place.id, scope.placeId));
	return p;
}

