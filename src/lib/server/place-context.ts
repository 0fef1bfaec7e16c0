import type { Db } from './db/client';
import { AppError } from './errors';
import { getMembership, type Place } from '../modules/places/queries.server';

type Membership = NonNullable<Awaited<ReturnType<typeof getMembership>>>;
import { cachedDefaultPlace, cachedPlaceBySlug } from '../modules/places/cache.server';
import { mintScope, type PlaceScope } from '../modules/places/policy';

export interface Viewer {
	id: string;
	isOperator: boolean;
}

export interface PlaceContext {
	place: Place;
	scope: PlaceScope;
	/** URL prefix of this place's pages: '' on a single-place instance without slug in the URL, else '/slug'. */
	base: string;
}

/**
 * Resolves the place of a request (slug from the URL, or the only place) and the viewer's membership,
 * and mints the PlaceScope every place query needs. Throws not_found for an unknown slug.
 */
export async function resolvePlace(db: Db, slug: string | undefined, viewer: Viewer | null, known?: { placeId: string; membership: Membership | null }): Promise<PlaceContext> {
	const place = slug ? await cachedPlaceBySlug(db, slug) : await cachedDefaultPlace(db);
	if (!place) throw new AppError('not_found', { detail: slug ? `place ${slug}` : 'no default place' });
	// why: the API reads the caller's membership with their token (one round trip); it is reused when it is this place's.
	const m = !viewer ? undefined : known && known.placeId === place.id ? (known.membership ?? undefined) : await getMembership(db, place.id, viewer.id);
	const scope = mintScope({
		placeId: place.id,
		slug: place.slug,
		timezone: place.timezone,
		userId: viewer?.id ?? null,
		roleKey: m?.roleKey ?? null,
		permissions: new Set(m?.permissions ?? []),
		isOperator: viewer?.isOperator ?? false
	});
	// why: keep whichever form the visitor used, so links never jump between /x and /slug/x.
	return { place, scope, base: slug ? `/${place.slug}` : '' };
}
