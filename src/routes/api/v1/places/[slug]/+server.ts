import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { placeOutput } from '$lib/modules/places/api-schemas';
import { can } from '$lib/modules/places/policy';
import { placeOpeningHours } from '$lib/modules/booking/hours.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}',
	summary: 'A place: public info; members also get their role and permissions; place.settings also gets legal ids',
	auth: 'public',
	errors: ['not_found'],
	output: placeOutput,
	handler: async (ctx) => {
		const { place: p, scope } = await ctx.place(ctx.params.slug);
		return {
			id: p.id,
			slug: p.slug,
			name: p.name,
			address: p.address,
			timezone: p.timezone,
			languages: p.languages,
			enabledModules: p.enabledModules,
			openingHours: await placeOpeningHours(ctx.db, p.id),
			legalForm: p.legalForm,
			description: p.description,
			logoUrl: p.logoUrl,
			...(scope.roleKey ? { role: scope.roleKey, permissions: [...scope.permissions].sort() } : {}),
			...(can(scope, 'place.settings') ? { siret: p.siret, vatNumber: p.vatNumber } : {})
		};
	}
});

export const fallback = methodNotAllowed('/places/{slug}');
