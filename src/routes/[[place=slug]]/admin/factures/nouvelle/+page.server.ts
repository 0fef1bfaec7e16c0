import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createInvoice, getInvoiceSettings } from '$lib/modules/money/invoices.server';
import { FORM_LINES, invoiceFromForm, lineCount, MAX_FORM_LINES, remapLineFields } from '$lib/modules/money/invoice-form';
import { SELECTABLE_VAT } from '$lib/modules/money/invoice-rules';
import { getPlaceById } from '$lib/modules/places/queries.server';
import { keepValues, runForm } from '$lib/server/http/forms';
import { AppError, isAppError } from '$lib/server/errors';
import { adminContext } from '../../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'money.manage');
	const settings = await getInvoiceSettings(db, scope);
	const p = await getPlaceById(db, scope);
	return {
		lines: FORM_LINES,
		maxLines: MAX_FORM_LINES,
		vatCodes: [...SELECTABLE_VAT],
		franchise: settings.vatRegime === 'franchise',
		termsDays: settings.paymentTermsDays,
		sellerIncomplete: !p.siret || !p.address,
		canEditPlace: scope.permissions.has('place.settings')
	};
};

export const actions: Actions = {
	issue: async (event) => {
		const { db, scope, base } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			const { input, rows } = invoiceFromForm(fd);
			let id: string;
			try {
				id = (await createInvoice(db, scope, input)).id;
			} catch (e) {
				// why: an error on the k-th non-empty line belongs to the form row it came from.
				if (isAppError(e) && e.fields) throw new AppError(e.code, { fields: remapLineFields(e.fields, rows), cause: e });
				throw e;
			}
			redirect(303, `${base}/admin/factures/${id}?issued=1`);
		});
	},
	/** "Add a line": the same form again with one more empty row, nothing saved. */
	addLine: async (event) => {
		await adminContext(event, 'money.manage');
		const fd = await event.request.formData().catch(() => new FormData());
		const values = keepValues(fd);
		values.lineCount = String(Math.min(lineCount(fd) + 1, MAX_FORM_LINES));
		return { values, added: true };
	}
};
