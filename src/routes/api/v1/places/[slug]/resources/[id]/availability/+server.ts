import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { availabilityOutput, availabilityQuery } from '$lib/modules/booking/api-schemas';
import { availability } from '$lib/modules/booking/queries.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/resources/{id}/availability',
	summary: 'Free and busy intervals of an active resource over [from, to) (public, 62 days at most)',
	auth: 'public',
	errors: ['not_found'],
	query: availabilityQuery,
	output: availabilityOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const a = await availability(ctx.db, scope, ctx.params.id, new Date(ctx.query.from), new Date(ctx.query.to));
		return { resourceId: ctx.params.id, ...a };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/resources/{id}/availability');
