import type { Actions, PageServerLoad } from './$types';
import { runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { calendarTokenStatus, createCalendarToken, revokeCalendarToken } from '$lib/modules/booking/calendar.server';
import { memberContext } from '../../member-guard.server';

// A member's private calendar link: create or regenerate (shown once), revoke.
export const load: PageServerLoad = async (event) => {
	const { db, scope } = await memberContext(event);
	return { status: await calendarTokenStatus(db, scope), timezone: scope.timezone };
};

export const actions: Actions = {
	create: async (event) => {
		const { db, scope, base } = await memberContext(event);
		return runForm(event, async () => {
			const { token } = await createCalendarToken(db, scope);
			return { success: true, feedUrl: `${event.url.origin}${base}/reservations/calendar/${token}.ics` };
		});
	},
	revoke: async (event) => {
		const { db, scope } = await memberContext(event);
		return runForm(event, async () => {
			await revokeCalendarToken(db, scope);
			return { success: true, message: translate(event.locals.locale, 'calendar.revoked') };
		});
	}
};
