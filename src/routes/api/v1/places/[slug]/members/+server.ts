import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { membersOutput, membersQuery } from '$lib/modules/places/api-schemas';
import { listMembers } from '$lib/modules/people/admin.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/members',
	summary: 'Members of a place (people.view), by name, 50 per page',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	query: membersQuery,
	output: membersOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const r = await listMembers(ctx.db, scope, { q: ctx.query.q, page: ctx.query.page });
		return {
			members: r.rows.map((m) => ({ id: m.userId, name: m.name, email: m.email, role: m.roleKey, since: m.since })),
			total: r.total,
			page: r.page,
			pageCount: r.pageCount
		};
	}
});

export const fallback = methodNotAllowed('/places/{slug}/members');
