// The JSON API's one wrapper. Every /api/v1 endpoint is written as
//
//   export const GET = apiRoute({ method: 'GET', path: '/places/{slug}', summary, auth: 'public', output, handler });
//   export const fallback = methodNotAllowed('/places/{slug}');
//
// apiRoute authenticates (Bearer personal token, or the browser session for same-origin use), reads and
// validates the query and JSON body with zod, runs the handler, validates and serialises its result (dates as
// ISO strings) and turns every error into {"error":{"code","message","fields"?}} with the status of
// ERROR_STATUS, translated by Accept-Language. It also registers the route, so the OpenAPI document
// (openapi.ts) is generated from the very schemas that validate requests.
import { z } from 'zod';
import type { Db } from '../db/client';
import { getApp } from '../app';
import { AppError, ERROR_STATUS, toAppError, type ErrorCode } from '../errors';
import { isLocale, negotiateLocale, translate, type Locale } from '../../i18n';
import { log } from '../log';
import { verifyApiToken } from '../../modules/people/tokens.server';
import { resolvePlace, type PlaceContext } from '../place-context';
import { cachedPlaceBySlug } from '../../modules/places/cache.server';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: 'public' (anyone; the caller is known if they sent credentials) or 'user' (signed in). */
export type ApiAuth = 'public' | 'user';

/** The authenticated caller of an API request. */
export interface ApiUser {
	id: string;
	name: string;
	email: string;
	emailVerified: boolean;
	locale: string;
	isOperator: boolean;
	/** How the caller proved who they are. */
	via: 'token' | 'session';
}

/** The part of SvelteKit's RequestEvent the wrapper needs (tests build it by hand). */
export interface ApiEvent {
	request: Request;
	url: URL;
	params: Partial<Record<string, string>>;
	locals: Pick<App.Locals, 'user'> & Partial<App.Locals>;
}

export interface ApiContext<I, Q, U extends ApiUser | null> {
	request: Request;
	url: URL;
	/** Path parameters, by the names used in `path` ({slug} -> params.slug). */
	params: Record<string, string>;
	locale: Locale;
	user: U;
	db: Db;
	/** The validated JSON body (routes with `input`). */
	input: I;
	/** The validated query string (routes with `query`). */
	query: Q;
	/** Resolves a place and the caller's membership (PlaceScope); not_found for an unknown slug. */
	place(slug: string): Promise<PlaceContext>;
}

// Output values may carry Date objects wherever the schema says string: the wrapper writes them as ISO strings.
type Jsonish<T> = T extends string
	? T | Date
	: T extends Array<infer E>
		? Array<Jsonish<E>>
		: T extends object
			? { [K in keyof T]: Jsonish<T[K]> }
			: T;

export interface ApiRouteDef<I extends z.ZodType | undefined, Q extends z.ZodType | undefined, O extends z.ZodType, A extends ApiAuth> {
	method: HttpMethod;
	/** OpenAPI path under /api/v1, with {params}: '/places/{slug}/members'. */
	path: string;
	summary: string;
	description?: string;
	/** Groups operations in the document (defaults to the first path segment). */
	tags?: string[];
	operationId?: string;
	auth: A;
	/** JSON body schema (messages are i18n keys such as 'field.required'). */
	input?: I;
	/** Query string schema: an object schema; use z.coerce for numbers, z.strictObject to refuse unknown names. */
	query?: Q;
	/** Response body schema (dates as z.iso.datetime()). */
	output: O;
	/** Success status (default 200; 204 sends no body). */
	status?: 200 | 201 | 202 | 204;
	/** Error codes worth documenting besides the ones the wrapper adds (400, 401, 405, 413, 415). */
	errors?: ErrorCode[];
	/** Largest accepted body in bytes (default 1 MiB). */
	maxBodyBytes?: number;
	handler: (ctx: ApiContext<I extends z.ZodType ? z.output<I> : undefined, Q extends z.ZodType ? z.output<Q> : undefined, A extends 'user' ? ApiUser : ApiUser | null>) => Promise<Jsonish<z.input<O>>>;
}

/** A registered route, as the OpenAPI generator reads it. */
export interface RegisteredRoute {
	method: HttpMethod;
	path: string;
	summary: string;
	description?: string;
	tags: string[];
	operationId: string;
	auth: ApiAuth;
	input?: z.ZodType;
	query?: z.ZodType;
	output: z.ZodType;
	status: number;
	errors: ErrorCode[];
}

const registry = new Map<string, RegisteredRoute>();

/** Every route registered so far (a route registers when its +server.ts module is loaded). */
export function registeredRoutes(): RegisteredRoute[] {
	return [...registry.values()].sort((a, b) => a.path.localeCompare(b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
}

const METHOD_ORDER: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const DEFAULT_MAX_BODY = 1024 * 1024;
const PATH_RE = /^\/(?:[a-z0-9._-]+|\{[A-Za-z_][A-Za-z0-9_]*\})(?:\/(?:[a-z0-9._-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))*$/;

/** Path parameter names of an OpenAPI path ('/places/{slug}' -> ['slug']). */
export function pathParams(path: string): string[] {
	return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

function defaultOperationId(method: HttpMethod, path: string): string {
	const words = path
		.split('/')
		.filter(Boolean)
		.map((seg) => (seg.startsWith('{') ? 'by_' + seg.slice(1, -1) : seg))
		.join('_')
		.split(/[^A-Za-z0-9]+/)
		.filter(Boolean);
	return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** Wraps an API handler: authentication, validation, error mapping, JSON output, OpenAPI registration. */
export function apiRoute<I extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, O extends z.ZodType = z.ZodType, A extends ApiAuth = ApiAuth>(
	def: ApiRouteDef<I, Q, O, A>
): (event: ApiEvent) => Promise<Response> {
	if (!PATH_RE.test(def.path)) throw new Error(`apiRoute: bad path ${def.path} (write it like /places/{slug})`);
	registry.set(`${def.method} ${def.path}`, {
		method: def.method,
		path: def.path,
		summary: def.summary,
		description: def.description,
		tags: def.tags ?? [def.path.split('/')[1].replace(/\.json$/, '')],
		operationId: def.operationId ?? defaultOperationId(def.method, def.path),
		auth: def.auth,
		input: def.input,
		query: def.query,
		output: def.output,
		status: def.status ?? 200,
		errors: def.errors ?? []
	});
	const names = pathParams(def.path);

	return async (event) => {
		let locale = headerLocale(event.request) ?? 'fr';
		try {
			const { database } = await getApp();
			const db = database.db;
			// why: on a place's route, the token check also reads the caller's role there (one query, see verifyApiToken).
			const routePlace = names.includes('slug') ? await cachedPlaceBySlug(db, event.params.slug ?? '') : undefined;
			const user = await authenticate(db, event, routePlace?.id);
			if (!headerLocale(event.request) && user && isLocale(user.locale)) locale = user.locale;
			if (def.auth === 'user' && !user) throw new AppError('unauthenticated');
			if (user?.via === 'session' && !sameOriginOrUnknown(event)) {
				// why: cookies ride along on cross-site requests; only Bearer tokens may be used from elsewhere.
				throw new AppError('forbidden', { detail: 'cross-site request with a session cookie' });
			}
			const params: Record<string, string> = {};
			for (const n of names) params[n] = event.params[n] ?? '';
			const query = def.query ? apiParse(def.query, queryObject(event.url.searchParams)) : undefined;
			const input = def.input ? apiParse(def.input, await readJson(event.request, def.maxBodyBytes ?? DEFAULT_MAX_BODY)) : undefined;
			const ctx = {
				request: event.request,
				url: event.url,
				params,
				locale,
				user,
				db,
				input,
				query,
				place: (slug: string) => resolvePlace(db, slug, user ? { id: user.id, isOperator: user.isOperator } : null, routePlace && user?.membership !== undefined ? { placeId: routePlace.id, membership: user.membership } : undefined)
			} as unknown as Parameters<typeof def.handler>[0];
			const result = await def.handler(ctx);
			const status = def.status ?? 200;
			if (status === 204) return new Response(null, { status, headers: baseHeaders() });
			const out = def.output.safeParse(toWire(result));
			if (!out.success) {
				throw new AppError('internal', { detail: `response of ${def.method} ${def.path} does not match its schema: ${JSON.stringify(out.error.issues).slice(0, 500)}` });
			}
			return jsonResponse(out.data, status);
		} catch (e) {
			return apiErrorResponse(e, locale, `${def.method} ${def.path}`);
		}
	};
}

/**
 * The `fallback` export of an API route file: JSON 405 (with Allow) for a method the route does not have.
 * OPTIONS answers 204 with Allow.
 */
export function methodNotAllowed(path: string): (event: ApiEvent) => Promise<Response> {
	return async (event) => {
		const allowed = registeredRoutes()
			.filter((r) => r.path === path)
			.map((r) => r.method);
		if (allowed.includes('GET')) allowed.push('HEAD' as HttpMethod);
		const allow = [...allowed, 'OPTIONS'].join(', ');
		if (event.request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...baseHeaders(), allow } });
		const res = apiErrorResponse(new AppError('method_not_allowed'), headerLocale(event.request) ?? 'fr');
		res.headers.set('allow', allow);
		return res;
	};
}

/** The catch-all under /api/v1: a JSON 404 for any path and method no route has. */
export function apiNotFound(event: Pick<ApiEvent, 'request'>): Response {
	return apiErrorResponse(new AppError('not_found', { detail: 'no such API route' }), headerLocale(event.request) ?? 'fr');
}

function headerLocale(request: Request): Locale | undefined {
	const h = request.headers.get('accept-language');
	return h ? negotiateLocale(h) : undefined;
}

function baseHeaders(): Record<string, string> {
	return { 'cache-control': 'no-store', vary: 'Authorization, Cookie, Accept-Language', 'x-content-type-options': 'nosniff' };
}

function jsonResponse(body: unknown, status: number): Response {
	return new Response(JSON.stringify(body), { status, headers: { ...baseHeaders(), 'content-type': 'application/json; charset=utf-8' } });
}

/** The caller's membership of the route's place, read with the token (undefined when not read). */
type TokenMembership = NonNullable<Awaited<ReturnType<typeof verifyApiToken>>>['membership'];

/**
 * Bearer token first (an Authorization header that is present but wrong is a 401, even with a session
 * cookie); otherwise the session that hooks.server.ts put in locals.
 */
async function authenticate(db: Db, event: ApiEvent, placeId?: string): Promise<(ApiUser & { membership?: TokenMembership }) | null> {
	const header = event.request.headers.get('authorization');
	if (header !== null) {
		const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
		const row = m ? await verifyApiToken(db, m[1], placeId) : undefined;
		if (!row) throw new AppError('unauthenticated', { detail: 'invalid_token' });
		return { id: row.id, name: row.name, email: row.email, emailVerified: row.emailVerified, locale: row.locale, isOperator: row.isOperator, via: 'token', membership: row.membership };
	}
	const u = event.locals.user;
	return u ? { ...u, via: 'session' } : null;
}

function sameOriginOrUnknown(event: ApiEvent): boolean {
	const origin = event.request.headers.get('origin');
	if (origin !== null) return origin === event.url.origin;
	const site = event.request.headers.get('sec-fetch-site');
	return site === null || site === 'same-origin' || site === 'none';
}

/** The query string as an object (a name given several times becomes an array). */
function queryObject(sp: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(sp.keys())) {
		const all = sp.getAll(key);
		out[key] = all.length > 1 ? all : all[0];
	}
	return out;
}

/** Reads a JSON body with a size cap. Empty body -> {} ; otherwise the content type must be JSON. */
async function readJson(request: Request, maxBytes: number): Promise<unknown> {
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) throw new AppError('payload_too_large');
	let bytes: Uint8Array;
	try {
		bytes = await readCapped(request, maxBytes);
	} catch (e) {
		if (e instanceof AppError) throw e;
		// why: adapter-node errors the body stream past its own BODY_SIZE_LIMIT; a dropped upload lands here too.
		throw new AppError('payload_too_large', { cause: e });
	}
	if (bytes.length === 0) return {};
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) throw new AppError('unsupported_media_type');
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new AppError('invalid_input', { fields: { _: 'field.json' } });
	}
	try {
		return JSON.parse(text);
	} catch {
		throw new AppError('invalid_input', { fields: { _: 'field.json' } });
	}
}

async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel().catch(() => {});
			throw new AppError('payload_too_large');
		}
		chunks.push(value);
	}
	const out = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return out;
}

/**
 * Validates API input: like parseInput, plus one entry per unknown name for strict objects, and a
 * 'field.json_object' when the body is not an object at all.
 */
export function apiParse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
	const r = schema.safeParse(raw);
	if (r.success) return r.data;
	const fields: Record<string, string> = {};
	for (const issue of r.error.issues) {
		if (issue.code === 'unrecognized_keys') {
			const prefix = issue.path.length ? issue.path.join('.') + '.' : '';
			for (const k of issue.keys) fields[prefix + k] ??= 'field.unknown';
			continue;
		}
		const key = issue.path.length ? issue.path.join('.') : '_';
		if (fields[key]) continue;
		const msg = issue.message;
		if (/^(field|error)\.[a-z_.]+$/.test(msg)) fields[key] = msg;
		else if (issue.code === 'invalid_type' && issue.input === undefined) fields[key] = 'field.required';
		else if (issue.code === 'invalid_type' && key === '_') fields[key] = 'field.json_object';
		else fields[key] = 'field.invalid';
	}
	throw new AppError('invalid_input', { fields });
}

/** JSON wire form of a handler result: Date -> ISO string (recursively). */
function toWire(v: unknown): unknown {
	if (v instanceof Date) return v.toISOString();
	if (Array.isArray(v)) return v.map(toWire);
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) out[k] = toWire(x);
		return out;
	}
	return v;
}

const STATUS_CODE = new Map<number, ErrorCode>();
for (const [code, status] of Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>) if (!STATUS_CODE.has(status)) STATUS_CODE.set(status, code);

/** Any thrown value as an API error response (JSON, translated, with WWW-Authenticate on 401). */
export function apiErrorResponse(e: unknown, locale: Locale, where = 'api'): Response {
	let err: AppError;
	const kitStatus = kitHttpStatus(e);
	if (kitStatus !== undefined) err = new AppError(STATUS_CODE.get(kitStatus) ?? (kitStatus >= 500 ? 'internal' : 'invalid_input'), { cause: e });
	else err = toAppError(e);
	if (err.code === 'internal') log().error({ err: e, where }, 'API request failed');
	const fields: Record<string, string> = {};
	for (const [k, v] of Object.entries(err.fields ?? {})) fields[k] = translate(locale, v);
	const invalidToken = err.code === 'unauthenticated' && err.detail === 'invalid_token';
	const message = translate(locale, invalidToken ? 'api.token_invalid' : `error.${err.code}`);
	const res = jsonResponse({ error: { code: err.code, message, ...(Object.keys(fields).length ? { fields } : {}) } }, err.status);
	if (err.status === 401) res.headers.set('www-authenticate', invalidToken ? 'Bearer error="invalid_token"' : 'Bearer');
	return res;
}

// SvelteKit's error()/redirect() objects (HttpError has status + body, Redirect has status + location).
function kitHttpStatus(e: unknown): number | undefined {
	if (typeof e !== 'object' || e === null || e instanceof Error) return undefined;
	const s = (e as { status?: unknown }).status;
	if (typeof s === 'number' && ('body' in e || 'location' in e)) return s >= 400 ? s : 500;
	return undefined;
}
