import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { grantInput, qualificationStatus } from '$lib/modules/trainings/rules';
import { grantQualification } from '$lib/modules/trainings/commands.server';
import { listQualifications } from '$lib/modules/trainings/queries.server';
import { qualificationOutput, qualificationsOutput, qualificationsQuery } from '$lib/modules/trainings/api-schemas';

export const POST = apiRoute({
	method: 'POST',
	path: '/places/{slug}/qualifications',
	summary: 'Grant (or renew) a member’s qualification for a resource (trainer of that resource or trainings.grant)',
	description:
		'{"email"|"userId", "resourceId", "expiresAt"?}: exactly one of email and userId, a member of the place. Without expiresAt, the resource’s qualification_months from now (or never). A live qualification is renewed (its expiry only moves later).',
	auth: 'user',
	status: 201,
	errors: ['forbidden', 'not_found'],
	input: grantInput,
	output: qualificationOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const now = new Date();
		const q = await grantQualification(ctx.db, scope, ctx.input, { now });
		return { ...q, status: qualificationStatus(q, now) };
	}
});

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/qualifications',
	summary: 'Qualifications of the place, of one person with ?userId= (trainings.grant); live ones unless ?all=true',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	query: qualificationsQuery,
	output: qualificationsOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const rows = await listQualifications(ctx.db, scope, { now: new Date(), userId: ctx.query.userId, all: ctx.query.all });
		return { qualifications: rows };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/qualifications');
