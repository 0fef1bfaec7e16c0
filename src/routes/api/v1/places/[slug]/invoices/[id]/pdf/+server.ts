// The PDF of an invoice or credit note (money.view): ?lang=fr|en (default: the caller's language),
// &facturx=1 for the Factur-X PDF/A-3 with the CII XML attached. Not JSON, so not through apiRoute; same
// authentication rules (Bearer personal token, or the session from the same origin) and JSON errors.
import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { AppError } from '$lib/server/errors';
import { z } from 'zod';
import { apiErrorResponse, apiParse, apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { negotiateLocale } from '$lib/i18n';
import { resolvePlace } from '$lib/server/place-context';
import { verifyApiToken } from '$lib/modules/people/tokens.server';
import { getInvoice } from '$lib/modules/money/invoices.server';
import { pdfFileName, pdfResponse, renderInvoicePdf } from '$lib/modules/money/invoice-pdf.server';

const PATH = '/places/{slug}/invoices/{id}/pdf';
const pdfQuery = z.strictObject({
	lang: z.enum(['fr', 'en'], 'field.invalid').optional(),
	facturx: z.enum(['0', '1', 'true', 'false'], 'field.invalid').optional()
});

// why: the answer is a PDF, not JSON, so apiRoute only documents this route (OpenAPI); GET below serves it.
apiRoute({
	method: 'GET',
	path: PATH,
	summary: 'The PDF of an invoice or credit note (money.view)',
	description:
		'Answers application/pdf (binary, as an attachment), not JSON; errors are JSON. lang=fr|en (default: Accept-Language); facturx=1 gives the Factur-X PDF/A-3 (BASIC profile) with factur-x.xml attached.',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	query: pdfQuery,
	output: z.string().describe('The PDF file (application/pdf).'),
	handler: async () => {
		throw new AppError('internal', { detail: 'served by the GET export' });
	}
});

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
		const q = apiParse(pdfQuery, Object.fromEntries(event.url.searchParams));
		const lang = q.lang ?? locale;
		const facturx = q.facturx === '1' || q.facturx === 'true';
		const { scope } = await resolvePlace(db, event.params.slug, viewer);
		const d = await getInvoice(db, scope, event.params.id);
		const pdf = await renderInvoicePdf({ invoice: d.invoice, credited: d.credited }, { locale: lang, facturx });
		return pdfResponse(pdf, pdfFileName(d.invoice.reference, facturx));
	} catch (e) {
		return apiErrorResponse(e, locale, 'GET /places/{slug}/invoices/{id}/pdf');
	}
};

export const fallback = methodNotAllowed(PATH);
