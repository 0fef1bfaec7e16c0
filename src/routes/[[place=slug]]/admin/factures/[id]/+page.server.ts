import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { getInvoice, recordInvoicePayment } from '$lib/modules/money/invoices.server';
import { INVOICE_PAYMENT_METHODS } from '$lib/modules/money/invoice-schema';
import { can } from '$lib/modules/places/policy';
import { wallClock } from '$lib/modules/places/time';
import { formObject, runForm } from '$lib/server/http/forms';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { adminContext } from '../../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, ['money.view', 'money.manage']);
	try {
		const d = await getInvoice(db, scope, event.params.id);
		return {
			detail: d,
			canManage: can(scope, 'money.manage'),
			today: wallClock(new Date(), scope.timezone).date,
			methods: [...INVOICE_PAYMENT_METHODS],
			issued: event.url.searchParams.has('issued'),
			credited: event.url.searchParams.has('credited')
		};
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
};

export const actions: Actions = {
	paid: async (event) => {
		const { db, scope } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			await recordInvoicePayment(db, scope, { ...formObject(fd), invoiceId: event.params.id } as Parameters<typeof recordInvoicePayment>[2]);
			return { success: true, message: translate(event.locals.locale, 'invoice.view.paid_saved') };
		});
	}
};
