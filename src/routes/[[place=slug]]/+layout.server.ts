import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { resolvePlace } from '$lib/server/place-context';
import { isAppError } from '$lib/server/errors';
import { navFor, navSectionsFor } from '$lib/modules/nav';
import { cachedDefaultPlace, cachedPlaces } from '$lib/modules/places/cache.server';
import { translate } from '$lib/i18n';

export const load: LayoutServerLoad = async ({ params, locals, url }) => {
	const { database } = await getApp();
	const db = database.db;
	// A network instance (several places) at "/" shows the directory of its places.
	if (!params.place && !(await cachedDefaultPlace(db))) {
		if (url.pathname !== '/') error(404, { message: translate(locals.locale, 'error.not_found'), code: 'not_found' });
		const places = await cachedPlaces(db);
		return { place: null, base: '', membership: null, nav: [], directory: places.map((p) => ({ slug: p.slug, name: p.name, address: p.address, description: p.description })) };
	}
	try {
		const ctx = await resolvePlace(db, params.place, locals.user);
		const p = ctx.place;
		return {
			place: { id: p.id, slug: p.slug, name: p.name, address: p.address, timezone: p.timezone, logoUrl: p.logoUrl, description: p.description, enabledModules: p.enabledModules, isDemo: p.isDemo, legalForm: p.legalForm },
			base: ctx.base,
			membership: ctx.scope.roleKey ? { role: ctx.scope.roleKey, permissions: [...ctx.scope.permissions] } : null,
			nav: navSectionsFor(navFor(ctx.scope.permissions, Boolean(ctx.scope.roleKey), p.enabledModules), ctx.base),
			directory: null
		};
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
};
