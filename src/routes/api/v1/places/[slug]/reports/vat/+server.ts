import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { periodInput } from '$lib/modules/money/accounting-inputs';
import { vatReportOutput } from '$lib/modules/money/accounting-api-schemas';
import { vatReport } from '$lib/modules/money/accounting.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/reports/vat',
	summary: 'VAT summary of the till sales of a period, per rate (money.view)',
	description:
		'from and to are days (YYYY-MM-DD, inclusive, in the place’s time zone), two years at most. Real receipts only (training ones never count); corrections count negative. Outside-scope amounts (shares, donations) apart.',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	query: periodInput,
	output: vatReportOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const r = await vatReport(ctx.db, scope, ctx.query);
		return {
			period: r.period,
			rates: r.rows.filter((x) => !x.outsideScope).map((x) => ({ rateBp: x.rateBp, htCents: x.htCents, vatCents: x.vatCents, ttcCents: x.ttcCents })),
			taxable: r.taxable,
			outsideScope: r.outside
		};
	}
});

export const fallback = methodNotAllowed('/places/{slug}/reports/vat');
