import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { productsOutput } from '$lib/modules/money/api-schemas';
import { listActiveProducts } from '$lib/modules/money/queries.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/products',
	summary: 'Price list of a place: its active products with prices per audience (public)',
	auth: 'public',
	errors: ['not_found'],
	output: productsOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		return listActiveProducts(ctx.db, scope);
	}
});

export const fallback = methodNotAllowed('/places/{slug}/products');
