// Public busy times of a machine as an iCalendar feed: "Réservé" / "Hors service", never who booked.
import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { resolvePlace } from '$lib/server/place-context';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { resourceBusy } from '$lib/modules/booking/calendar.server';
import { busyIcs, icsHeaders } from '$lib/modules/booking/ics';

export const GET: RequestHandler = async ({ params, locals }) => {
	const { database } = await getApp();
	const notFound = () => error(404, { message: translate(locals.locale, 'error.not_found'), code: 'not_found' });
	try {
		const { place, scope } = await resolvePlace(database.db, params.place, null);
		// why: like the machines page, a place without the machines module has none to publish.
		if (!place.enabledModules.includes('machines')) notFound();
		const now = new Date();
		const { resource, periods } = await resourceBusy(database.db, scope, params.slug, now);
		return new Response(busyIcs(resource, place, periods, locals.locale, now), { headers: icsHeaders(`${resource.slug}.ics`, 'public') });
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') notFound();
		throw e;
	}
};
