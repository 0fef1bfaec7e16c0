import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { resolvePlace } from '$lib/server/place-context';
import { translate } from '$lib/i18n';
import { resourcesByKind } from '$lib/modules/booking/queries.server';

// Public page (no login): the machines, rooms, benches and spaces of the place.
export const load: PageServerLoad = async ({ params, locals, parent }) => {
	// why: the layout turns an unknown place into a 404 first; a module the place has not enabled is a 404 too.
	const { place } = await parent();
	if (!place?.enabledModules.includes('machines')) error(404, { message: translate(locals.locale, 'error.not_found'), code: 'not_found' });
	const { database } = await getApp();
	const { scope } = await resolvePlace(database.db, params.place, locals.user);
	return { groups: await resourcesByKind(database.db, scope), timezone: scope.timezone };
};
