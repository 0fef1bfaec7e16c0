import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { receiptsQuery } from '$lib/modules/money/inputs';
import { receiptsOutput } from '$lib/modules/money/api-schemas';
import { listReceipts } from '$lib/modules/money/queries.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/receipts',
	summary: 'Receipts of the till journal issued in [from, to) (money.view or cafe.sell), at most 1000',
	description: 'from and to are ISO date-times; training=true lists the training (FACTICE) receipts instead of the real ones.',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	query: receiptsQuery,
	output: receiptsOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		return { receipts: await listReceipts(ctx.db, scope, ctx.query) };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/receipts');
