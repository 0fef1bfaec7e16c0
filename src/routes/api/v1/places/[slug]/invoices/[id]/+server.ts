import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { invoiceOutput } from '$lib/modules/money/invoice-api';
import { getInvoice } from '$lib/modules/money/invoices.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/invoices/{id}',
	summary: 'One invoice or credit note (money.view), with its credit notes and payment',
	description: 'The PDF is at /places/{slug}/invoices/{id}/pdf (?lang=fr|en, &facturx=1 for the Factur-X PDF/A-3).',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	output: invoiceOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const d = await getInvoice(ctx.db, scope, ctx.params.id);
		const i = d.invoice;
		return {
			id: i.id,
			kind: i.kind,
			number: i.reference,
			sequence: i.number,
			issuedAt: i.issuedAt,
			issueDate: i.issueDate,
			supplyDate: i.supplyDate,
			dueDate: i.dueDate,
			creditedInvoiceId: i.creditedInvoiceId,
			customer: i.customer,
			seller: i.seller,
			lines: i.lines.map((l) => ({ label: l.label, quantity: l.quantityMilli / 1000, unitPriceCents: l.unitPriceCents, vat: l.vat, rateBp: l.rateBp, htCents: l.htCents })),
			totals: i.totals,
			totalHtCents: i.totalHtCents,
			totalVatCents: i.totalVatCents,
			totalCents: i.totalTtcCents,
			creditedCents: d.creditNotes.reduce((s, c) => s + c.totalTtcCents, 0),
			remainingCents: d.remainingCents,
			payment: d.payment ? { paidOn: d.payment.paidOn, method: d.payment.method, amountCents: d.payment.amountCents } : null
		};
	}
});

export const fallback = methodNotAllowed('/places/{slug}/invoices/{id}');
