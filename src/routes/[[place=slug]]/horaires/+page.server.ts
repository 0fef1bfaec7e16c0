import type { PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { resolvePlace } from '$lib/server/place-context';
import { publicHours } from '$lib/modules/booking/hours.server';

// Public page (no login): the place's opening hours this week and next, closures, open-access sessions.
export const load: PageServerLoad = async ({ params, locals }) => {
	const { database } = await getApp();
	const { scope } = await resolvePlace(database.db, params.place, locals.user);
	return { hours: await publicHours(database.db, scope, new Date()), timezone: scope.timezone };
};
