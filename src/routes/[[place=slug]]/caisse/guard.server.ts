// Server-side gate of every till page, action and download: resolves the place and the viewer's membership
// again (never trusting the layout), sends anonymous visitors to sign in, answers 403 without the permission.
import { error, redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { resolvePlace, type PlaceContext } from '$lib/server/place-context';
import { isAppError } from '$lib/server/errors';
import { can, type Permission } from '$lib/modules/places/policy';
import { translate } from '$lib/i18n';
import { wallClock } from '$lib/modules/places/time';

interface GuardEvent {
	params: { place?: string };
	locals: App.Locals;
	url: URL;
}

export type TillContext = PlaceContext & { db: Awaited<ReturnType<typeof getApp>>['database']['db'] };

/** The place context of a till request, after checking one of the permissions (cafe.sell by default). */
export async function tillContext(event: GuardEvent, permissions: Permission[] = ['cafe.sell']): Promise<TillContext> {
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
	if (!ctx.scope.roleKey || !permissions.some((p) => can(ctx.scope, p))) error(403, { message: translate(event.locals.locale, 'error.forbidden'), code: 'forbidden' });
	return { ...ctx, db };
}

/** The till named in the URL (?caisse=2), '1' by default; anything odd falls back to '1'. */
export function tillOf(url: URL): string {
	const v = (url.searchParams.get('caisse') ?? '').trim();
	return /^[\p{L}\p{N} _-]{1,40}$/u.test(v) ? v : '1';
}

/** Training mode is on when the URL says so (?formation=1). */
export function trainingOf(url: URL): boolean {
	return url.searchParams.get('formation') === '1';
}

/** Query string keeping the till and the training mode across the till pages. */
export function tillQuery(till: string, training: boolean, extra: Record<string, string> = {}): string {
	const q = new URLSearchParams();
	if (till !== '1') q.set('caisse', till);
	if (training) q.set('formation', '1');
	for (const [k, v] of Object.entries(extra)) q.set(k, v);
	const s = q.toString();
	return s ? `?${s}` : '';
}

/** Today (YYYY-MM-DD) in the place's zone. */
export function today(timezone: string, now = new Date()): string {
	return wallClock(now, timezone).date;
}

/** A YYYY-MM-DD that is a real date of years 2000–2999 (a till's life), else undefined. */
export function isoDate(v: string | null | undefined): string | undefined {
	if (!v || !/^2\d{3}-\d{2}-\d{2}$/.test(v)) return undefined;
	const d = new Date(`${v}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? v : undefined;
}
