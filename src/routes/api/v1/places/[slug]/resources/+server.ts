import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { resourcesOutput } from '$lib/modules/booking/api-schemas';
import { listActiveResources } from '$lib/modules/booking/queries.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/resources',
	summary: 'Machines, rooms, benches and spaces of a place (public: the active ones)',
	auth: 'public',
	errors: ['not_found'],
	output: resourcesOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		return listActiveResources(ctx.db, scope);
	}
});

export const fallback = methodNotAllowed('/places/{slug}/resources');
