import { error, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { getRequestEvent } from '$app/server';
import { svelteKitHandler, sveltekitCookies } from 'better-auth/svelte-kit';
import { getApp, configureAuthPlugins, closeApp } from '$lib/server/app';
import { CLIENT_IP_HEADER } from '$lib/server/auth';
import { isLocale, negotiateLocale, translate } from '$lib/i18n';
import { log } from '$lib/server/log';
import { env } from '$lib/server/env';
import { startJobs } from '$lib/server/jobs';
import { AppError, ERROR_STATUS, codeForStatus, isAppError, toAppError } from '$lib/server/errors';
import { apiErrorResponse } from '$lib/server/http/api';

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
	const interval = env().LIEU_JOBS_INTERVAL;
	const stopJobs = interval > 0 ? startJobs(async () => (await getApp()).database.db, interval * 1000) : async () => {};
	const stop = async (signal: string) => {
		log().info({ signal }, 'shutting down');
		await stopJobs().catch(() => {});
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
	const bad = badUrl(event);
	if (bad && event.url.pathname.startsWith('/api/')) return apiErrorResponse(new AppError(bad.code, { fields: { _: bad.message } }), lang);
	// why: never throw from here for an undecodable path: SvelteKit then runs this hook outside its error boundary
	// (the rejection would stop the server). It answers such a path with its own 400 (see handleError).
	if (bad && bad.reason !== 'malformed') error(ERROR_STATUS[bad.code], { message: translate(lang, bad.message), code: bad.code });
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

/**
 * URLs no page or API route can serve, answered with a 4xx instead of failing deeper with a 500: malformed
 * percent-encoding (%ff), a NUL byte (PostgreSQL text cannot hold one), and the action name "?/default",
 * which SvelteKit reserves and answers with a plain Error.
 */
function badUrl(event: RequestEvent): { reason: 'malformed' | 'nul' | 'reserved_action'; code: 'invalid_input' | 'not_found'; message: string } | null {
	try {
		decodeURI(event.url.pathname);
	} catch {
		return { reason: 'malformed', code: 'invalid_input', message: 'error.bad_url' };
	}
	if (/%00/.test(event.url.pathname + event.url.search)) return { reason: 'nul', code: 'invalid_input', message: 'error.bad_url' };
	if (event.request.method === 'POST' && event.url.searchParams.has('/default')) return { reason: 'reserved_action', code: 'not_found', message: 'error.not_found' };
	return null;
}

function safeClientAddress(event: Parameters<Handle>[0]['event']): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

export const handleError: HandleServerError = ({ error, event, status }) => {
	// why: SvelteKit answers some client mistakes itself (unknown route 404, POST on a page without actions 405,
	// non-form body on an action 415, body too large 413): say so in the person's language, and keep the error log
	// for real failures.
	if (status < 500) {
		const code = codeForStatus(status);
		// why: the API answers its own 400s and 415s; on a page, SvelteKit's only 400 is an undecodable URL, and a 415
		// means a form action got something other than form data.
		const key = status === 400 ? 'error.bad_url' : status === 415 ? 'error.form_body' : `error.${code}`;
		return { message: translate(event.locals.locale ?? 'fr', key), code };
	}
	const e = toAppError(error);
	log().error({ err: error, path: event.url.pathname }, 'unhandled error');
	return { message: translate(event.locals.locale ?? 'fr', `error.${e.code}`), code: e.code };
};
