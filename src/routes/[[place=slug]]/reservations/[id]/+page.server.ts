import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { runForm } from '$lib/server/http/forms';
import { AppError, isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { findResource, getBooking } from '$lib/modules/booking/queries.server';
import { cancelBooking, rescheduleBooking } from '$lib/modules/booking/commands.server';
import { materialOrdersOf } from '$lib/modules/booking/materials.server';
import { cancelDeadline, slotFromForm } from '$lib/modules/booking/rules';
import { wallClock } from '$lib/modules/places/time';
import { memberContext } from '../../member-guard.server';

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const FORM_FIELD: Record<string, string> = { startsAt: 'debut', endsAt: 'duree' };

// One booking of the member: status, what is left to pay (link to the order, and to the materials' order after
// check-out), cancel, move to another time.
export const load: PageServerLoad = async (event) => {
	const { db, scope } = await memberContext(event);
	let b;
	try {
		b = await getBooking(db, scope, event.params.id);
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
	const r = await findResource(db, scope.placeId, { id: b.resourceId });
	const now = new Date();
	const deadline = cancelDeadline(b.startsAt, b.cancelHours);
	const durations: number[] = [];
	if (r) for (let m = r.minMinutes; m <= r.maxMinutes && durations.length < 24; m += r.slotMinutes) durations.push(m);
	const times: string[] = [];
	if (r) for (let m = 0; m < 1440; m += r.slotMinutes) times.push(hhmm(m));
	const start = wallClock(b.startsAt, scope.timezone);
	const materialOrders = (await materialOrdersOf(db, scope, [b.id])).map((o) => ({ id: o.orderId, status: o.status, totalCents: o.totalCents }));
	return {
		materialOrders,
		booking: {
			id: b.id,
			kind: b.kind,
			status: b.status,
			resourceName: b.resourceName,
			resourceSlug: b.resourceSlug,
			startsAt: b.startsAt,
			endsAt: b.endsAt,
			priceCents: b.priceCents,
			walletMinutes: b.walletMinutes,
			orderId: b.orderId,
			orderStatus: b.orderStatus,
			dueCents: b.orderTotalCents ?? 0,
			cancelReason: b.cancelReason,
			outageReason: b.outageReason,
			deadline,
			canChange: b.status !== 'cancelled' && (now <= deadline || scope.permissions.has('bookings.manage'))
		},
		isNew: event.url.searchParams.has('nouveau'),
		moved: event.url.searchParams.has('deplacee'),
		durations,
		times,
		current: { jour: start.date, debut: start.time, duree: String(Math.round((b.endsAt.getTime() - b.startsAt.getTime()) / 60_000)) }
	};
};

export const actions: Actions = {
	cancel: async (event) => {
		const { db, scope } = await memberContext(event);
		const result = await runForm(event, async () => {
			await cancelBooking(db, scope, event.params.id);
			return true;
		});
		if (result !== true) return result;
		return { success: true, cancelled: true };
	},
	reschedule: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const iv = slotFromForm(fd.get('jour'), fd.get('debut'), fd.get('duree'), scope.timezone);
			if (!iv) throw new AppError('invalid_input', { fields: { jour: 'field.invalid' } });
			try {
				const res = await rescheduleBooking(db, scope, event.params.id, { startsAt: iv.start.toISOString(), endsAt: iv.end.toISOString() });
				return res.booking.id;
			} catch (e) {
				if (isAppError(e) && e.fields) throw new AppError(e.code, { fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [FORM_FIELD[k] ?? k, v])), detail: e.detail });
				throw e;
			}
		});
		if (typeof result !== 'string') return result;
		redirect(303, `${base}/reservations/${result}?deplacee=1`);
	}
};
