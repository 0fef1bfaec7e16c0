import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { buildOpenApiDocument, openApiDocumentSchema } from '$lib/server/http/openapi';

// why: a route registers itself when its module loads, and SvelteKit loads route modules lazily; load every
// /api/v1 route before building the document so it always lists them all.
const routeModules = import.meta.glob('../**/+server.ts');

/** Loads every /api/v1 route module (so each one is registered). */
async function loadAllApiRoutes(): Promise<void> {
	await Promise.all(Object.values(routeModules).map((load) => load()));
}

export const GET = apiRoute({
	method: 'GET',
	path: '/openapi.json',
	summary: 'The OpenAPI 3.1 document of this API',
	tags: ['meta'],
	auth: 'public',
	output: openApiDocumentSchema,
	handler: async ({ url }) => {
		await loadAllApiRoutes();
		return buildOpenApiDocument({ serverUrl: `${url.origin}/api/v1` });
	}
});

export const fallback = methodNotAllowed('/openapi.json');
