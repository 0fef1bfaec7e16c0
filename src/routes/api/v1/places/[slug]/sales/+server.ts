import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { saleInput } from '$lib/modules/money/inputs';
import { saleOutput } from '$lib/modules/money/api-schemas';
import { recordSale } from '$lib/modules/money/commands.server';

export const POST = apiRoute({
	method: 'POST',
	path: '/places/{slug}/sales',
	summary: 'Records a counter sale into the till journal (cafe.sell)',
	description:
		'Prices come from the catalogue for the audience, VAT per line from the product and the context. A single payment without amountCents pays the total; otherwise the payments must add up to it (400 invalid_input).',
	auth: 'user',
	status: 201,
	errors: ['forbidden', 'not_found'],
	input: saleInput,
	output: saleOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const r = await recordSale(ctx.db, scope, ctx.input);
		return { receipt: { number: r.number, hash: r.hash, totalCents: r.totalCents } };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/sales');
