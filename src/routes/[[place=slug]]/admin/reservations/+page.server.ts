import type { Actions, PageServerLoad } from './$types';
import { bookingsOfDay, checkIn, checkOut, materialOptions, materialsOf } from '$lib/modules/booking/operations.server';
import { materialOrdersOf } from '$lib/modules/booking/materials.server';
import { isIsoDate, localDate } from '$lib/modules/booking/hours';
import { addDays } from '$lib/modules/places/time';
import { runForm } from '$lib/server/http/forms';
import { formatMoney, translate } from '$lib/i18n';
import { adminContext } from '../guard.server';

/** Material rows offered on the check-out form (works without JavaScript). */
const MATERIAL_ROWS = 3;

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'bookings.manage');
	const today = localDate(new Date(), scope.timezone);
	const asked = event.url.searchParams.get('date') ?? '';
	const date = isIsoDate(asked) ? asked : today;
	const bookings = await bookingsOfDay(db, scope, date);
	const materials = await materialsOf(db, scope, bookings.map((b) => b.id));
	const orders = await materialOrdersOf(db, scope, bookings.map((b) => b.id));
	return {
		date,
		today,
		prev: addDays(date, -1),
		next: addDays(date, 1),
		bookings: bookings.map((b) => ({ ...b, materials: materials.filter((m) => m.bookingId === b.id), materialOrders: orders.filter((o) => o.bookingId === b.id).map((o) => ({ id: o.orderId, status: o.status, totalCents: o.totalCents })) })),
		products: await materialOptions(db, scope),
		rows: MATERIAL_ROWS,
		timezone: scope.timezone
	};
};

const str = (fd: FormData, k: string) => (typeof fd.get(k) === 'string' ? (fd.get(k) as string) : '');

export const actions: Actions = {
	checkIn: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			await checkIn(db, scope, str(fd, 'bookingId'), new Date());
			return { success: true, bookingId: str(fd, 'bookingId'), message: translate(event.locals.locale, 'presence.checked_in') };
		});
	},
	checkOut: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			const products = fd.getAll('materialProduct[]').map(String);
			const labels = fd.getAll('materialLabel[]').map(String);
			const qty = fd.getAll('materialQty[]').map(String);
			const materials = products
				.map((p, i) => {
					const q = (qty[i] ?? '').trim();
					return { productId: p.trim() || null, label: (labels[i] ?? '').trim(), quantity: q === '' ? 1 : /^\d{1,4}$/.test(q) ? Number(q) : Number.NaN };
				})
				.filter((m) => m.productId || m.label);
			const res = await checkOut(db, scope, str(fd, 'bookingId'), { materials, incident: str(fd, 'incident') } as never, new Date());
			const locale = event.locals.locale;
			return { success: true, bookingId: str(fd, 'bookingId'), message: res.dueCents > 0 ? translate(locale, 'presence.checked_out_due', { amount: formatMoney(res.dueCents, locale) }) : translate(locale, 'presence.checked_out') };
		});
	}
};
