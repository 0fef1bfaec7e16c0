import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { getRequestEvent } from '$app/server';
import { svelteKitHandler, sveltekitCookies } from 'better-auth/svelte-kit';
import { getApp, configureAuthPlugins, closeApp } from '$lib/server/app';
import { CLIENT_IP_HEADER } from '$lib/server/auth';
import { isLocale, negotiateLocale, translate } from '$lib/i18n';
import { log } from '$lib/server/log';
import { isAppError, toAppError } from '$lib/server/errors';

configureAuthPlugins([sveltekitCookies(getRequestEvent)]);

export const init: ServerInit = async () => {
	if (building) return;
	try {
		await getApp();
	} catch (e) {
		// why: a second server (or the CLI) on the same PGlite folder must stop with a clear sentence, not a stack.
		if (isAppError(e) && e.code === 'data_dir_locked') {
			console.error(`[lieu] ${e.detail}`);
			process.exit(1);
		}
		throw e;
	}
	const stop = async (signal: string) => {
		log().info({ signal }, 'shutting down');
		await closeApp().catch(() => {});
	};
	// adapter-node emits this after it stopped accepting connections and finished in-flight requests.
	process.once('sveltekit:shutdown' as never, (reason: string) => void stop(reason));
};

export const handle: Handle = async ({ event, resolve }) => {
	const app = await getApp();
	// why: the client IP feeds the sign-in rate limiter; a caller must not be able to choose it.
	if (event.url.pathname.startsWith('/api/auth')) {
		const headers = new Headers(event.request.headers);
		headers.set(CLIENT_IP_HEADER, safeClientAddress(event));
		event.request = new Request(event.request, { headers });
	}
	// why: most requests are anonymous visitors; only ask better-auth (a database read) when a session cookie is there.
	const hasSessionCookie = event.cookies.getAll().some((c) => c.name.endsWith('session_token'));
	const session = hasSessionCookie ? await app.auth.api.getSession({ headers: event.request.headers }).catch(() => null) : null;
	const u = session?.user as (Record<string, unknown> & { id: string; name: string; email: string }) | undefined;
	event.locals.user = u
		? { id: u.id, name: u.name, email: u.email, emailVerified: Boolean(u.emailVerified), locale: String(u.locale ?? 'fr'), isOperator: Boolean(u.isOperator) }
		: null;
	event.locals.sessionId = session?.session.id ?? null;
	const cookieLang = event.cookies.get('lang');
	event.locals.locale = event.locals.user && isLocale(event.locals.user.locale)
		? event.locals.user.locale
		: isLocale(cookieLang)
			? cookieLang
			: negotiateLocale(event.request.headers.get('accept-language'));
	const lang = event.locals.locale;
	const t0 = performance.now();
	const response = await svelteKitHandler({
		event,
		resolve: (ev) => resolve(ev, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) }),
		auth: app.auth,
		building
	});
	log().info({ method: event.request.method, path: event.url.pathname, status: response.status, ms: Math.round(performance.now() - t0), user: event.locals.user?.id }, 'request');
	return response;
};

function safeClientAddress(event: Parameters<Handle>[0]['event']): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

export const handleError: HandleServerError = ({ error, event, status }) => {
	const e = toAppError(error);
	if (status === 404) return { message: translate(event.locals.locale ?? 'fr', 'error.not_found'), code: 'not_found' };
	log().error({ err: error, path: event.url.pathname }, 'unhandled error');
	return { message: translate(event.locals.locale ?? 'fr', `error.${e.code}`), code: e.code };
};
