// Server-side gate of every admin page and action: resolves the place and the viewer's membership again
// (never trusting the layout), sends anonymous visitors to sign in and answers 403 to members without the
// permission. Not a route: a helper shared by the admin pages of this folder.
import { error, redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { resolvePlace, type PlaceContext } from '$lib/server/place-context';
import { isAppError } from '$lib/server/errors';
import { requirePermission, type Permission } from '$lib/modules/places/policy';
import { translate } from '$lib/i18n';

interface GuardEvent {
	params: { place?: string };
	locals: App.Locals;
	url: URL;
}

/** The place context of an admin request, after checking `permission` (or any one of several). */
export async function adminContext(event: GuardEvent, permission: Permission | Permission[]): Promise<PlaceContext & { db: Awaited<ReturnType<typeof getApp>>['database']['db'] }> {
	const { database } = await getApp();
	const db = database.db;
	let ctx: PlaceContext;
	try {
		ctx = await resolvePlace(db, event.params.place, event.locals.user);
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
	if (!event.locals.user) {
		// why: a form action's "?/name" is not a page to come back to.
		const search = event.url.search.startsWith('?/') ? '' : event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname + search)}`);
	}
	const wanted = Array.isArray(permission) ? permission : [permission];
	const held = wanted.find((p) => ctx.scope.permissions.has(p));
	try {
		requirePermission(ctx.scope, held ?? wanted[0]);
	} catch {
		error(403, { message: translate(event.locals.locale, 'error.forbidden'), code: 'forbidden' });
	}
	return { ...ctx, db };
}
