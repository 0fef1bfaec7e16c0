import type { DbOrTx } from '../../server/db/client';
import { listPlaces, type Place } from './queries.server';

// why: every page resolves its place; places change a few times a year. On PGlite each query runs on the
// server's own thread (~0.5-2 ms), so reading the place table twice per request halved throughput (see
// bench/RESULTS.md). The list is kept in memory, reloaded after any write made by this process, and at most
// TTL_MS old when another process (a second server on the same PostgreSQL, the CLI) changed it.
// Memberships and permissions are NEVER cached: a role change takes effect on the next request.
const TTL_MS = 2000;
let cache: { at: number; places: Place[] } | undefined;
let generation = 0;

/** All places, from memory when fresh. */
export async function cachedPlaces(db: DbOrTx): Promise<Place[]> {
	if (cache && Date.now() - cache.at < TTL_MS) return cache.places;
	const gen = generation;
	const places = await listPlaces(db);
	// a write that happened while we were reading must not be hidden by this (older) read
	if (gen === generation) cache = { at: Date.now(), places };
	return places;
}

/** Forget the cached places (call after creating or changing a place). */
export function invalidatePlaceCache(): void {
	generation++;
	cache = undefined;
}

export async function cachedPlaceBySlug(db: DbOrTx, slug: string): Promise<Place | undefined> {
	return (await cachedPlaces(db)).find((p) => p.slug === slug);
}

/** The only place of a single-place instance (undefined when there are none or several). */
export async function cachedDefaultPlace(db: DbOrTx): Promise<Place | undefined> {
	const all = await cachedPlaces(db);
	return all.length === 1 ? all[0] : undefined;
}
