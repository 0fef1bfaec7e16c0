import type { Actions, PageServerLoad } from './$types';
import { checkIn, checkOut, materialOptions, myCurrentBookings } from '$lib/modules/booking/operations.server';
import { materialOrdersOf } from '$lib/modules/booking/materials.server';
import { runForm } from '$lib/server/http/forms';
import { formatMoney, translate } from '$lib/i18n';
import { memberContext } from '../../member-guard.server';

// A member checks in and out of their own booking (materials used, an incident if any); priced materials are
// billed at check-out and the page says what is due, with the link to pay it.
export const load: PageServerLoad = async (event) => {
	const { db, scope } = await memberContext(event);
	const bookings = await myCurrentBookings(db, scope, new Date());
	const orders = await materialOrdersOf(db, scope, bookings.map((b) => b.id));
	return {
		bookings: bookings.map((b) => ({ ...b, materialOrders: orders.filter((o) => o.bookingId === b.id).map((o) => ({ id: o.orderId, status: o.status, totalCents: o.totalCents })) })),
		products: await materialOptions(db, scope),
		timezone: scope.timezone
	};
};

const str = (fd: FormData, k: string) => (typeof fd.get(k) === 'string' ? (fd.get(k) as string) : '');

export const actions: Actions = {
	checkIn: async (event) => {
		const { db, scope } = await memberContext(event);
		return runForm(event, async (fd) => {
			await checkIn(db, scope, str(fd, 'bookingId'), new Date());
			return { success: true, bookingId: str(fd, 'bookingId'), message: translate(event.locals.locale, 'presence.checked_in') };
		});
	},
	checkOut: async (event) => {
		const { db, scope } = await memberContext(event);
		return runForm(event, async (fd) => {
			const q = str(fd, 'quantity').trim();
			const material = { productId: str(fd, 'materialProduct') || null, label: str(fd, 'materialLabel').trim(), quantity: q === '' ? 1 : /^\d{1,4}$/.test(q) ? Number(q) : Number.NaN };
			const res = await checkOut(db, scope, str(fd, 'bookingId'), { materials: material.productId || material.label ? [material] : [], incident: str(fd, 'incident') } as never, new Date());
			const locale = event.locals.locale;
			return { success: true, bookingId: str(fd, 'bookingId'), orderId: res.orderId, message: res.dueCents > 0 ? translate(locale, 'presence.checked_out_due', { amount: formatMoney(res.dueCents, locale) }) : translate(locale, 'presence.checked_out') };
		});
	}
};
