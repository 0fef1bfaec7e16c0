import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { listMyBookings } from '$lib/modules/booking/queries.server';
import { cancelBooking } from '$lib/modules/booking/commands.server';
import { cancelDeadline } from '$lib/modules/booking/rules';
import { leaveWaitlist, myWaitlist } from '$lib/modules/booking/waitlist.server';
import { memberContext } from '../member-guard.server';

// "My bookings": the member's bookings in the place, with cancel (before the deadline) and a link to move them.
export const load: PageServerLoad = async (event) => {
	const { db, scope, place } = await memberContext(event);
	if (!place.enabledModules.includes('machines')) error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
	const now = new Date();
	const rows = await listMyBookings(db, scope, { limit: 200 });
	const view = rows.map((b) => {
		const deadline = cancelDeadline(b.startsAt, b.cancelHours);
		return { id: b.id, resourceName: b.resourceName, resourceSlug: b.resourceSlug, status: b.status, cancelReason: b.cancelReason, outageReason: b.outageReason, startsAt: b.startsAt, endsAt: b.endsAt, priceCents: b.priceCents, dueCents: b.orderTotalCents ?? 0, orderId: b.orderId, orderStatus: b.orderStatus, deadline, canChange: b.status !== 'cancelled' && now <= deadline };
	});
	const waiting = await myWaitlist(db, scope, now);
	return {
		waiting: waiting.map((w) => ({ id: w.id, resourceName: w.resourceName, resourceSlug: w.resourceSlug, startsAt: w.startsAt, endsAt: w.endsAt, status: w.status, offerExpiresAt: w.offerExpiresAt })),
		upcoming: view.filter((b) => b.status !== 'cancelled' && b.endsAt > now).reverse(),
		past: view.filter((b) => b.status === 'cancelled' || b.endsAt <= now).slice(0, 30)
	};
};

export const actions: Actions = {
	cancel: async (event) => {
		const { db, scope } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const id = fd.get('id');
			const out = await cancelBooking(db, scope, typeof id === 'string' ? id : '');
			return { minutesBack: out.minutesBack, creditCents: out.creditCents };
		});
		if (result && 'minutesBack' in result) return { success: true, cancelled: result };
		return result;
	},
	leaveWaitlist: async (event) => {
		const { db, scope } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const id = fd.get('id');
			await leaveWaitlist(db, scope, typeof id === 'string' ? id : '');
			return true;
		});
		if (result === true) return { success: true, left: true };
		return result;
	}
};
