import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { meOutput } from '$lib/modules/places/api-schemas';
import { placesOf } from '$lib/modules/places/queries.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/me',
	summary: 'The signed-in person and the places they belong to',
	auth: 'user',
	output: meOutput,
	handler: async ({ db, user }) => ({
		id: user.id,
		name: user.name,
		email: user.email,
		locale: user.locale,
		emailVerified: user.emailVerified,
		places: await placesOf(db, user.id)
	})
});

export const fallback = methodNotAllowed('/me');
