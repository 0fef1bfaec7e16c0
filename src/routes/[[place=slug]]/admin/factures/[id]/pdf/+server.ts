// PDF download of an invoice or credit note for the admin pages (money.view): ?lang=fr|en, &facturx=1.
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getInvoice } from '$lib/modules/money/invoices.server';
import { pdfFileName, pdfResponse, renderInvoicePdf } from '$lib/modules/money/invoice-pdf.server';
import { isAppError } from '$lib/server/errors';
import { isLocale, translate } from '$lib/i18n';
import { adminContext } from '../../../guard.server';

export const GET: RequestHandler = async (event) => {
	const { db, scope } = await adminContext(event, ['money.view', 'money.manage']);
	const lang = event.url.searchParams.get('lang') ?? event.locals.locale;
	const facturx = event.url.searchParams.get('facturx') === '1';
	try {
		const d = await getInvoice(db, scope, event.params.id);
		const pdf = await renderInvoicePdf({ invoice: d.invoice, credited: d.credited }, { locale: isLocale(lang) ? lang : event.locals.locale, facturx });
		return pdfResponse(pdf, pdfFileName(d.invoice.reference, facturx));
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
};
