import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { invoiceInput } from '$lib/modules/money/invoice-rules';
import { invoiceCreatedOutput } from '$lib/modules/money/invoice-api';
import { createInvoice } from '$lib/modules/money/invoices.server';

export const POST = apiRoute({
	method: 'POST',
	path: '/places/{slug}/invoices',
	summary: 'Issues an invoice (money.manage)',
	description:
		'Lines carry unit prices excluding VAT in cents and a VAT code (2000, 1000, 550, 210, exempt_training, exempt_rental); VAT is computed per rate. Issued today in the place’s time zone, numbered without gaps, never changed afterwards (corrections are credit notes). 400 invalid_input with field "seller" when the place’s SIRET/address (or VAT number above 150 EUR excl. VAT) is missing.',
	auth: 'user',
	status: 201,
	errors: ['forbidden', 'not_found'],
	input: invoiceInput,
	output: invoiceCreatedOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const inv = await createInvoice(ctx.db, scope, ctx.input);
		return { id: inv.id, number: inv.reference, sequence: inv.number, issueDate: inv.issueDate, dueDate: inv.dueDate, totalHtCents: inv.totalHtCents, totalVatCents: inv.totalVatCents, totalCents: inv.totalTtcCents };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/invoices');
