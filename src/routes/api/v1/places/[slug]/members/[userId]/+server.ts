import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { memberOutput, memberPatchInput } from '$lib/modules/places/api-schemas';
import { changeMemberRole } from '$lib/modules/people/admin.server';
import { getMember } from '$lib/modules/people/members-api.server';

export const PATCH = apiRoute({
	method: 'PATCH',
	path: '/places/{slug}/members/{userId}',
	summary: "Changes a member's role (people.roles); the last admin cannot be demoted",
	auth: 'user',
	errors: ['forbidden', 'not_found', 'last_admin'],
	input: memberPatchInput,
	output: memberOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		await changeMemberRole(ctx.db, scope, { userId: ctx.params.userId, role: ctx.input.role });
		return getMember(ctx.db, scope, ctx.params.userId);
	}
});

export const fallback = methodNotAllowed('/places/{slug}/members/{userId}');
