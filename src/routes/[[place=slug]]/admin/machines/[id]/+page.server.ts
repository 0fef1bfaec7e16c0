import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { createHourProduct, hourProductOptions, listResourcesAdmin, updateResource } from '$lib/modules/booking/resources.server';
import { addMaintenanceEntry, maintenanceLogOf, occupancyOf, upcomingOutages, usageOf } from '$lib/modules/booking/operations.server';
import { runForm } from '$lib/server/http/forms';
import { AppError, isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { adminContext } from '../../guard.server';
import { putOutOfService } from '$lib/modules/booking/commands.server';
import { hourProductFromForm, outageFromForm, resourceFromForm } from '../form.server';

/** Weeks of the occupancy heatmap (?weeks=4…26, default 8). */
function weeksParam(url: URL): number {
	const w = Number(url.searchParams.get('weeks'));
	return Number.isInteger(w) && w >= 1 && w <= 26 ? w : 8;
}

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'bookings.manage');
	const all = await listResourcesAdmin(db, scope);
	const resource = all.find((r) => r.id === event.params.id);
	if (!resource) error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
	const now = new Date();
	const weeks = weeksParam(event.url);
	return {
		resource,
		rooms: all.filter((r) => r.kind === 'room' && r.id !== resource.id).map((r) => ({ id: r.id, name: r.name })),
		products: await hourProductOptions(db, scope),
		log: await maintenanceLogOf(db, scope, resource.id),
		outages: await upcomingOutages(db, scope, resource.id, now),
		usage: await usageOf(db, scope, resource.id, now),
		heatmap: await occupancyOf(db, scope, resource.id, now, weeks),
		created: event.url.searchParams.get('created') === '1',
		timezone: scope.timezone
	};
};

/** Errors of the hour-product form are reported on its own field names. */
const PRODUCT_FIELDS: Record<string, string> = { name: 'productName', 'prices.public': 'pricePublic', 'prices.member': 'priceMember' };
/** Errors of the outage command are reported on the out-of-service form's field names. */
const OUTAGE_FIELDS: Record<string, string> = { startsAt: 'outageFromTime', endsAt: 'outageToTime', reason: 'outageReason', resourceId: 'outageReason' };

export const actions: Actions = {
	update: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			await updateResource(db, scope, event.params.id, resourceFromForm(fd) as never);
			return { success: true, message: translate(event.locals.locale, 'common.saved'), form: 'update' };
		});
	},
	product: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			try {
				await createHourProduct(db, scope, event.params.id, hourProductFromForm(fd) as never);
			} catch (e) {
				if (isAppError(e) && e.fields) throw new AppError(e.code, { fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [PRODUCT_FIELDS[k] ?? k, v])) });
				throw e;
			}
			return { success: true, message: translate(event.locals.locale, 'machines_admin.product_created'), form: 'product' };
		});
	},
	maintenance: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			await addMaintenanceEntry(db, scope, event.params.id, { kind: String(fd.get('kind') ?? ''), body: String(fd.get('body') ?? '') } as never);
			return { success: true, message: translate(event.locals.locale, 'maintenance.added'), form: 'maintenance' };
		});
	},
	/** Puts the resource out of service for a period: the bookings it covers are cancelled, credited and told by e-mail. */
	outage: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			let out;
			try {
				out = await putOutOfService(db, scope, outageFromForm(fd, event.params.id, scope.timezone));
			} catch (e) {
				if (isAppError(e) && e.fields) throw new AppError(e.code, { fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [OUTAGE_FIELDS[k] ?? k, v])), detail: e.detail });
				throw e;
			}
			return { success: true, message: translate(event.locals.locale, 'outages.created', { count: out.cancelled.length }), form: 'outage' };
		});
	}
};
