// Server-side gate of the member pages of the checkout (wallet, orders): resolves the place and the viewer's
// membership again, sends anonymous visitors to sign in and answers 403 to people who are not members.
import { error, redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { resolvePlace, type PlaceContext } from '$lib/server/place-context';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';

interface GuardEvent {
	params: { place?: string };
	locals: App.Locals;
	url: URL;
}

export async function memberContext(event: GuardEvent): Promise<PlaceContext & { db: Awaited<ReturnType<typeof getApp>>['database']['db'] }> {
	const { database } = await getApp();
	let ctx: PlaceContext;
	try {
		ctx = await resolvePlace(database.db, event.params.place, event.locals.user);
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
	if (!event.locals.user) {
		const search = event.url.search.startsWith('?/') ? '' : event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname + search)}`);
	}
	if (!ctx.scope.roleKey) error(403, { message: translate(event.locals.locale, 'error.forbidden'), code: 'forbidden' });
	return { ...ctx, db: database.db };
}
