// A person's private feed of their own bookings at the place, behind a secret token (only its hash is stored).
// An unknown, revoked or other place's token is a 404, like a page that does not exist.
import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { resolvePlace } from '$lib/server/place-context';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { memberFeed } from '$lib/modules/booking/calendar.server';
import { icsHeaders, memberIcs } from '$lib/modules/booking/ics';

export const GET: RequestHandler = async ({ params, locals }) => {
	const { database } = await getApp();
	const notFound = () => error(404, { message: translate(locals.locale, 'error.not_found'), code: 'not_found' });
	let ctx;
	try {
		ctx = await resolvePlace(database.db, params.place, null);
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') notFound();
		throw e;
	}
	const feed = await memberFeed(database.db, ctx!.place.id, params.token, new Date());
	if (!feed) notFound();
	return new Response(memberIcs(feed!, ctx!.place, locals.locale), { headers: { ...icsHeaders('reservations.ics', 'private'), 'x-robots-tag': 'noindex' } });
};
