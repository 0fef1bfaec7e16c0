// The PDF of an invoice or credit note (money.view): ?lang=fr|en (default: the caller's language),
// &facturx=1 for the Factur-X PDF/A-3 with the CII XML attached. Not JSON, so not through apiRoute; same
// authentication rules (Bearer personal token, or the session from the same origin) and JSON errors.
import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { AppError } from '$lib/server/errors';
import { apiErrorResponse } from '$lib/server/http/api';
import { isLocale, negotiateLocale } from '$lib/i18n';
import { resolvePlace } from '$lib/server/place-context';
import { verifyApiToken } from '$lib/modules/people/tokens.server';
import { getInvoice } from '$lib/modules/money/invoices.server';
import { pdfFileName, pdfResponse, renderInvoicePdf } from '$lib/modules/money/invoice-pdf.server';

export const GET: RequestHandler = async (event) => {
	const header = event.request.headers.get('accept-language');
	const locale = negotiateLocale(header);
	try {
		const { database } = await getApp();
		const db = database.db;
		let viewer: { id: string; isOperator: boolean } | null = null;
		const auth = event.request.headers.get('authorization');
		if (auth !== null) {
			const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth);
			const row = m ? await verifyApiToken(db, m[1]) : undefined;
			if (!row) throw new AppError('unauthenticated', { detail: 'invalid_token' });
			viewer = { id: row.id, isOperator: row.isOperator };
		} else if (event.locals.user) {
			const origin = event.request.headers.get('origin');
			const site = event.request.headers.get('sec-fetch-site');
			// why: cookies ride along on cross-site requests; only Bearer tokens may be used from elsewhere.
			if ((origin !== null && origin !== event.url.origin) || (origin === null && site !== null && site !== 'same-origin' && site !== 'none')) throw new AppError('forbidden');
			viewer = { id: event.locals.user.id, isOperator: event.locals.user.isOperator };
		}
		if (!viewer) throw new AppError('unauthenticated');
		const lang = event.url.searchParams.get('lang') ?? locale;
		if (!isLocale(lang)) throw new AppError('invalid_input', { fields: { lang: 'field.invalid' } });
		const facturx = ['1', 'true'].includes(event.url.searchParams.get('facturx') ?? '');
		const { scope } = await resolvePlace(db, event.params.slug, viewer);
		const d = await getInvoice(db, scope, event.params.id);
		const pdf = await renderInvoicePdf({ invoice: d.invoice, credited: d.credited }, { locale: lang, facturx });
		return pdfResponse(pdf, pdfFileName(d.invoice.reference, facturx));
	} catch (e) {
		return apiErrorResponse(e, locale, 'GET /places/{slug}/invoices/{id}/pdf');
	}
};
