// Robustness over real HTTP, on the La Tréso demo: no input may ever produce a 500, and bad input gets a clear,
// translated message. The journey reads the route tree (src/routes) and the OpenAPI document at run time, so a
// page, form action or API route added later is covered without touching this file:
//   1. every page route, anonymous and as the admin, with odd query strings: never >= 500, protected pages send
//      anonymous visitors to /login (or 401/403/404), redirects never leave the site;
//   2. every form action, anonymous and as the admin, with hostile bodies (empty, 10,000-char fields, NUL bytes,
//      emoji, SQL-looking text, repeated keys, out-of-range numbers, non-form content types, broken multipart):
//      never >= 500 and no error/stack trace in the server log; a few forms show the French error summary and
//      keep what was typed;
//   3. every /api/v1 operation with bad path parameters, bad JSON, wrong types and bodies over 1 MB: a 4xx with
//      the {"error":{"code","message"}} shape;
//   4. afterwards nothing saved was lost: the place settings and members are unchanged, the admin still signs in.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LieuServer } from './harness';
import { DEMO_PASSWORD, DEMO_SLUG } from '../../src/lib/modules/places/demo.server';

const ADMIN = { email: 'admin@la-treso.demo', name: 'Aurélien Denaes' };
const UNKNOWN_SLUG = 'lieu-inconnu-zz';
const FR_SUMMARY = 'Certaines informations ne sont pas valides. Vérifiez les champs signalés.';
const ROUTES_DIR = path.resolve('src/routes');

let server: LieuServer;
/** Cookie header of the admin's session (used for every "as admin" request). */
let adminCookie = '';
/** The demo place and its members as the admin saw them before any hostile request. */
let placeBefore: unknown;
let membersBefore: Array<{ id: string; role: string; name: string; email: string }> = [];

const rnd = () => crypto.randomBytes(12).toString('base64url');

interface Res {
	status: number;
	location: string | null;
	type: string;
	text: string;
}

async function request(method: string, pathname: string, opts: { cookie?: string; body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Res> {
	const headers: Record<string, string> = { ...opts.headers };
	if (opts.cookie) headers.cookie = opts.cookie;
	let r: Response;
	try {
		r = await fetch(server.url + pathname, { method, headers, body: opts.body, redirect: 'manual' });
	} catch (e) {
		// A reset connection is no answer at all: report it as a failure naming the request.
		return { status: 599, location: null, type: '', text: `fetch failed: ${String((e as Error).cause ?? e)}` };
	}
	return { status: r.status, location: r.headers.get('location'), type: r.headers.get('content-type') ?? '', text: await r.text() };
}

/** Runs fn over items with at most n requests in flight. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(n, items.length) }, async () => {
			while (next < items.length) await fn(items[next++]);
		})
	);
}

/** Server log lines written since `mark` that show an unhandled error or a stack trace. */
async function badLogLines(mark: number): Promise<string[]> {
	await new Promise((r) => setTimeout(r, 300)); // let the child's last lines arrive
	return server.logs
		.slice(mark)
		.join('')
		.split('\n')
		.filter((l) => /unhandled error|form action failed|API request failed|"level":(50|60)|^\s+at .+:\d+:\d+\)?$/.test(l))
		.map((l) => l.slice(0, 400));
}

/** Signs in through the real sign-in form (no JavaScript) and returns the session's Cookie header. */
async function signIn(email: string, password: string): Promise<string> {
	const r = await fetch(`${server.url}/login?/password`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
		body: new URLSearchParams({ email, password, redirectTo: '/' }).toString(),
		redirect: 'manual'
	});
	expect(r.status, 'sign-in form post').toBe(303);
	const cookies = r.headers.getSetCookie().map((c) => c.split(';')[0]);
	expect(cookies.some((c) => c.includes('session_token='))).toBe(true);
	return cookies.join('; ');
}

/** GET as the admin through the API (same-origin session). */
async function apiAsAdmin(pathname: string) {
	const r = await request('GET', pathname, { cookie: adminCookie, headers: { origin: server.url } });
	expect(r.status, `GET ${pathname}`).toBe(200);
	return JSON.parse(r.text);
}

// ---------------------------------------------------------------------------------------------------------
// The route tree, read from src/routes.

interface RouteDir {
	/** Route id as SvelteKit writes it: '/[[place=slug]]/admin/people'. */
	id: string;
	/** Has a page (+page.svelte or +page.server.ts). */
	page: boolean;
	/** Has a GET endpoint (+server.ts exporting GET). */
	endpoint: boolean;
	/** Form action names ('default' for an unnamed one). */
	actions: string[];
	/** Field names found in the page's markup. */
	fields: string[];
}

function readRoutes(dir = ROUTES_DIR, id = ''): RouteDir[] {
	const entries = fs.readdirSync(dir, { withFileTypes: true });
	const file = (n: string) => (fs.existsSync(path.join(dir, n)) ? fs.readFileSync(path.join(dir, n), 'utf8') : null);
	const pageSvelte = file('+page.svelte');
	const pageServer = file('+page.server.ts');
	const server = file('+server.ts');
	const out: RouteDir[] = [];
	if (pageSvelte !== null || pageServer !== null || (server !== null && /export const GET\b/.test(server))) {
		out.push({
			id: id || '/',
			page: pageSvelte !== null || pageServer !== null,
			endpoint: server !== null && /export const GET\b/.test(server),
			actions: pageServer ? actionNames(pageServer) : [],
			fields: pageSvelte ? [...new Set([...pageSvelte.matchAll(/\bname="([A-Za-z_][\w-]*(?:\[\])?)"/g)].map((m) => m[1]))] : []
		});
	}
	for (const e of entries) if (e.isDirectory()) out.push(...readRoutes(path.join(dir, e.name), `${id}/${e.name}`));
	return out;
}

/** The keys of `export const actions = { … }` (top level of the object only). */
function actionNames(src: string): string[] {
	const m = /export const actions\b[^=]*=\s*\{([\s\S]*?)\n\};/.exec(src);
	if (!m) return [];
	return [...m[1].matchAll(/^\t([A-Za-z_$][\w$]*)\s*(?::|\(|,|$)/gm)].map((x) => x[1]);
}

interface Target {
	path: string;
	/** False when the URL names a place that does not exist. */
	knownPlace: boolean;
	/** The main variant (the place by its slug), which gets the full barrage. */
	main: boolean;
}

/** Concrete URLs of a route id: optional place param both absent and '/la-treso' (plus an unknown slug), other params random. */
function expand(id: string): Target[] {
	let acc: Target[] = [{ path: '', knownPlace: true, main: true }];
	for (const seg of id.split('/').filter(Boolean)) {
		let variants: Array<{ s: string; known: boolean; main: boolean }>;
		if (/^\(.*\)$/.test(seg)) variants = [{ s: '', known: true, main: true }];
		else if (/^\[\[place(=\w+)?\]\]$/.test(seg))
			variants = [
				{ s: '', known: true, main: false },
				{ s: `/${DEMO_SLUG}`, known: true, main: true },
				{ s: `/${UNKNOWN_SLUG}`, known: false, main: false }
			];
		else if (/^\[\[?slug(=\w+)?\]\]?$/.test(seg))
			variants = [
				{ s: `/${DEMO_SLUG}`, known: true, main: true },
				{ s: `/${UNKNOWN_SLUG}`, known: false, main: false }
			];
		else if (/^\[\.\.\./.test(seg)) variants = [{ s: `/${rnd()}/${rnd()}`, known: true, main: true }];
		else if (/^\[/.test(seg)) variants = [{ s: `/${rnd()}`, known: true, main: true }]; // [token], [userId], …
		else variants = [{ s: `/${seg}`, known: true, main: true }];
		acc = acc.flatMap((a) => variants.map((v) => ({ path: a.path + v.s, knownPlace: a.knownPlace && v.known, main: a.main && v.main })));
	}
	return acc.map((t) => ({ ...t, path: t.path || '/' }));
}

const isProtected = (id: string) => /(^|\/)(admin|profile)(\/|$)/.test(id);
const ROUTES = readRoutes().filter((r) => !r.id.startsWith('/api/'));

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
	server = await startServer();
	const r = await fetch(server.url + '/setup?/demo', {
		method: 'POST',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: '',
		redirect: 'manual'
	});
	expect(r.status, 'demo setup form post').toBe(303);
	adminCookie = await signIn(ADMIN.email, DEMO_PASSWORD);
	placeBefore = await apiAsAdmin(`/api/v1/places/${DEMO_SLUG}`);
	membersBefore = (await apiAsAdmin(`/api/v1/places/${DEMO_SLUG}/members`)).members;
});
afterAll(async () => {
	await server?.stop();
});

describe('the route tree as read from src/routes', () => {
	it('finds the pages and form actions this suite is meant to cover', () => {
		const byId = Object.fromEntries(ROUTES.map((r) => [r.id, r]));
		expect(byId['/login']?.actions).toEqual(['password', 'magic']);
		expect(byId['/profile']?.actions).toEqual(expect.arrayContaining(['profile', 'consent', 'token', 'revoke', 'delete']));
		expect(byId['/[[place=slug]]/admin/settings']?.actions).toEqual(['default']);
		expect(byId['/[[place=slug]]/admin/people']?.fields).toEqual(expect.arrayContaining(['q', 'userId', 'role', 'email']));
		expect(expand('/[[place=slug]]/admin').map((t) => t.path)).toEqual(['/admin', `/${DEMO_SLUG}/admin`, `/${UNKNOWN_SLUG}/admin`]);
		expect(ROUTES.filter((r) => r.page).length).toBeGreaterThanOrEqual(20);
	});
});

describe('1. every page, anonymous and as the admin, with odd query strings', () => {
	const QUERIES = ['', '?q=%00%ff', '?page=-1', '?page=abc', '?page=99999999999999999999', '?redirectTo=//evil.example', '?token=x', '?from=bad', '?action=%00&ipage=-5&sent=%ff'];

	it('never answers >= 500, keeps redirects on the site and sends anonymous visitors of protected pages to /login', async () => {
		const mark = server.logs.length;
		const jobs: Array<{ route: RouteDir; target: Target; q: string; who: 'anonymous' | 'admin' }> = [];
		for (const route of ROUTES) for (const target of expand(route.id)) for (const q of QUERIES) for (const who of ['anonymous', 'admin'] as const) jobs.push({ route, target, q, who });
		const problems: string[] = [];
		const adminStatus: Record<string, number> = {};
		await pool(jobs, 6, async ({ route, target, q, who }) => {
			const url = target.path + q;
			const r = await request('GET', url, { cookie: who === 'admin' ? adminCookie : undefined, headers: { accept: 'text/html' } });
			const tag = `${who} GET ${url} -> ${r.status} ${r.location ?? ''}`;
			if (r.status >= 500) problems.push(tag);
			if (r.location && new URL(r.location, server.url).origin !== server.url) problems.push(`${tag} (leaves the site)`);
			if (who === 'anonymous' && isProtected(route.id)) {
				const toLogin = r.status === 303 && (r.location ?? '').startsWith('/login');
				// A URL with a NUL byte is refused (400) before any page is looked at, signed in or not.
				const refusedUrl = r.status === 400 && q.includes('%00');
				if (!toLogin && !refusedUrl && ![401, 403, 404].includes(r.status)) problems.push(`${tag} (protected page open to anonymous)`);
			}
			if (who === 'admin' && q === '') adminStatus[target.path] = r.status;
		});
		expect(problems).toEqual([]);
		expect(jobs.length).toBeGreaterThan(500);
		// The admin session really was used: the admin pages open for the admin, on both URL forms.
		for (const p of ['/admin/settings', '/admin/people', '/admin/roles', '/admin/audit', '/admin/outbox']) {
			expect(adminStatus[p], p).toBe(200);
			expect(adminStatus[`/${DEMO_SLUG}${p}`], p).toBe(200);
			expect(adminStatus[`/${UNKNOWN_SLUG}${p}`], p).toBe(404);
		}
		expect(adminStatus['/profile']).toBe(200);
		// A URL no page can serve gets a clear message in French, not a crash.
		for (const url of [`/${DEMO_SLUG}/admin/people?q=%00`, '/%ff', `/${DEMO_SLUG}/%E0%A4%A/admin`, '/%ff?q=%00', `/${DEMO_SLUG}/agenda?x=%00`]) {
			const r = await request('GET', url, { cookie: adminCookie, headers: { accept: 'text/html' } });
			expect(r.status, url).toBe(400);
			expect(r.text, url).toContain('Cette adresse n’est pas valide');
		}
		expect(await badLogLines(mark)).toEqual([]);
	});
});

describe('2. every form action, anonymous and as the admin, with hostile bodies', () => {
	const FORM = 'application/x-www-form-urlencoded';
	type Payload = { label: string; contentType?: string; body: BodyInit | ((fields: string[]) => BodyInit) };

	const urlencoded = (fields: string[], value: (name: string, i: number) => string | string[]) => {
		const sp = new URLSearchParams();
		fields.forEach((f, i) => {
			const v = value(f, i);
			for (const x of Array.isArray(v) ? v : [v]) sp.append(f, x);
		});
		return sp.toString();
	};
	const OUT_OF_RANGE = ['99999999999999999999', '-1', '1e309', 'NaN', '-0', '0x7fffffff', '2147483648', '-9223372036854775809'];
	const PAYLOADS: Payload[] = [
		{ label: 'empty body', contentType: FORM, body: '' },
		{ label: '10,000-char fields', contentType: FORM, body: (f) => urlencoded(f, () => 'é'.repeat(5000) + 'x'.repeat(5000)) },
		{ label: 'NUL bytes', contentType: FORM, body: (f) => urlencoded(f, () => 'a\u0000b\u0000') },
		{ label: 'emoji', contentType: FORM, body: (f) => urlencoded(f, () => '🌻🎉👩🏽‍🔧 \u202e\ufeff') },
		{ label: 'SQL-looking text', contentType: FORM, body: (f) => urlencoded(f, () => `' OR '1'='1'; DROP TABLE "user"; --`) },
		{ label: 'repeated keys (arrays for scalars)', contentType: FORM, body: (f) => urlencoded(f, (_, i) => [`a${i}`, `b${i}`, '']) },
		{ label: 'out-of-range numbers', contentType: FORM, body: (f) => urlencoded(f, (_, i) => OUT_OF_RANGE[i % OUT_OF_RANGE.length]) },
		{ label: 'application/json', contentType: 'application/json', body: (f) => JSON.stringify(Object.fromEntries(f.map((k) => [k, ['x', 1, null]]))) },
		{ label: 'text/plain', contentType: 'text/plain', body: (f) => f.map((k) => `${k}=x`).join('\n') },
		{ label: 'malformed multipart', contentType: 'multipart/form-data; boundary=----lieu', body: '------lieu\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n------li' },
		{ label: 'multipart without boundary', contentType: 'multipart/form-data', body: 'a=b' },
		{
			label: 'files where text is expected',
			body: (f) => {
				const fd = new FormData();
				for (const k of f) fd.append(k, new Blob(['%PDF-1.4 \u0000\u0001'], { type: 'application/pdf' }), 'x.pdf');
				return fd;
			}
		}
	];
	const GENERIC_FIELDS = ['email', 'name', 'password', 'redirectTo', 'id', 'token'];

	let throwawayCookie = '';
	beforeAll(async () => {
		// why: the logout action ends the session it is given; it gets a session of its own, never the admin's.
		throwawayCookie = await signIn(ADMIN.email, DEMO_PASSWORD);
	});

	it('never answers >= 500 and logs no unhandled error or stack trace', async () => {
		const mark = server.logs.length;
		const problems: string[] = [];
		let count = 0;
		const actions = ROUTES.flatMap((route) => route.actions.map((name) => ({ route, name })));
		expect(actions.length).toBeGreaterThanOrEqual(15);
		for (const { route, name } of actions) {
			const fields = [...new Set([...route.fields, ...GENERIC_FIELDS])];
			for (const target of expand(route.id)) {
				const url = target.path + (name === 'default' ? '' : `?/${name}`);
				// The full barrage once per action (on the main URL form); the other URL forms get the empty body.
				const payloads = target.main ? PAYLOADS : PAYLOADS.slice(0, 1);
				for (const p of payloads) {
					for (const who of ['anonymous', 'admin'] as const) {
						const cookie = who === 'admin' ? (route.id === '/logout' ? throwawayCookie : adminCookie) : undefined;
						const headers: Record<string, string> = { origin: server.url, accept: 'text/html' };
						if (p.contentType) headers['content-type'] = p.contentType;
						const body = typeof p.body === 'function' ? p.body(fields) : p.body;
						const r = await request('POST', url, { cookie, headers, body });
						count++;
						const tag = `${who} POST ${url} (${p.label}) -> ${r.status}`;
						if (r.status >= 500) problems.push(`${tag}: ${r.text.replace(/\s+/g, ' ').slice(0, 200)}`);
						if (r.location && new URL(r.location, server.url).origin !== server.url) problems.push(`${tag} (leaves the site: ${r.location})`);
						if (who === 'anonymous' && isProtected(route.id) && r.status < 300) problems.push(`${tag} (protected action done for anonymous)`);
					}
				}
			}
		}
		expect(problems).toEqual([]);
		expect(count).toBeGreaterThan(400);
		expect(await badLogLines(mark)).toEqual([]);
		// why: one request at a time (hostile bodies as the admin must not race each other); every module adds forms.
	}, 900_000);

	it('answers 405 (not 500) to a POST on a page without actions, and 404 to an unknown action name', async () => {
		const mark = server.logs.length;
		const headers = { origin: server.url, accept: 'text/html', 'content-type': FORM };
		const noActions = await request('POST', `/${DEMO_SLUG}/machines`, { headers, body: 'a=b' });
		expect(noActions.status).toBe(405);
		expect(noActions.text).toContain('Cette méthode n’est pas acceptée à cette adresse.');
		for (const url of ['/login?/nope', '/login?/default', '/signup?/default']) {
			const r = await request('POST', url, { headers, body: 'a=b' });
			expect(r.status, url).toBe(404);
			expect(r.text, url).toContain('Page introuvable');
		}
		const json = await request('POST', '/login?/password', { headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
		expect(json.status).toBe(415);
		expect(json.text).toContain('Ce formulaire attend des données de formulaire');
		expect(json.text).not.toContain('Une erreur inattendue');
		expect(await badLogLines(mark)).toEqual([]);
	});

	it('refuses a form body over the size limit without a 500', async () => {
		const r = await request('POST', '/login?/password', { headers: { origin: server.url, accept: 'text/html', 'content-type': FORM }, body: 'email=' + 'a'.repeat(11 * 1024 * 1024) });
		expect(r.status).toBeGreaterThanOrEqual(400);
		expect(r.status).toBeLessThan(500);
	});

	/** Posts a form as it would come from the page (no JavaScript) and returns the HTML answer. */
	async function postForm(url: string, fields: Record<string, string>, cookie?: string) {
		return request('POST', url, { cookie, headers: { origin: server.url, accept: 'text/html', 'content-type': FORM }, body: new URLSearchParams(fields).toString() });
	}
	const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

	it('signup: shows the French summary and keeps the typed name and e-mail, never the password', async () => {
		const r = await postForm('/signup', { name: 'Zoé <Testeuse> 🌻', email: 'zoe-pas-une-adresse', password: 'Un mot de passe secret 42' });
		expect(r.status).toBe(400);
		expect(r.text).toContain(FR_SUMMARY);
		expect(r.text).toContain('Adresse e-mail non valide.');
		expect(r.text).toContain(`value="${escapeHtml('Zoé <Testeuse> 🌻')}"`);
		expect(r.text).toContain('value="zoe-pas-une-adresse"');
		expect(r.text).not.toContain('Un mot de passe secret 42');
	});

	it('admin settings: shows the French summary and keeps the typed values', async () => {
		const r = await postForm(`/${DEMO_SLUG}/admin/settings`, { name: 'Z', address: '12 rue du Test 🌻', timezone: 'Europe/Paris', legalForm: 'association', languages: 'fr' }, adminCookie);
		expect(r.status).toBe(400);
		expect(r.text).toContain(FR_SUMMARY);
		expect(r.text).toContain('Trop court.');
		expect(r.text).toContain('value="12 rue du Test 🌻"');
		expect(r.text).toContain('value="Z"');
	});

	it('invitation: shows the French summary and keeps the typed e-mail', async () => {
		const r = await postForm(`/${DEMO_SLUG}/admin/people?/invite`, { _form: 'invite', email: 'pas-une-adresse@', role: 'member' }, adminCookie);
		expect(r.status).toBe(400);
		expect(r.text).toContain(FR_SUMMARY);
		expect(r.text).toContain('Adresse e-mail non valide.');
		expect(r.text).toContain('value="pas-une-adresse@"');
	});

	it('profile: a 10,000-char name gets "Trop long." in French and is kept; a NUL byte is refused clearly', async () => {
		const long = 'N'.repeat(10_000);
		const r = await postForm('/profile?/profile', { _action: 'profile', name: long, locale: 'fr' }, adminCookie);
		expect(r.status).toBe(400);
		expect(r.text).toContain(FR_SUMMARY);
		expect(r.text).toContain('Trop long.');
		expect(r.text).toContain(`value="${long}"`);
		const nul = await postForm('/profile?/token', { _action: 'token', label: 'mon\u0000jeton' }, adminCookie);
		expect(nul.status).toBe(400);
		expect(nul.text).toContain(FR_SUMMARY);
	});
});

describe('3. the JSON API: every operation of the OpenAPI document with bad input', () => {
	type Op = { path: string; method: string; params: string[]; hasBody: boolean; hasQuery: boolean };
	let ops: Op[] = [];
	let memberId = '';
	const BAD_PARAMS = [UNKNOWN_SLUG, rnd(), '%00', '%ff', '%F0%9F%8C%BB', encodeURIComponent(`' OR 1=1 --`), 'x'.repeat(3000), '..%2F..%2Fetc', '-1', '99999999999999999999', '%E0%A4%A'];

	beforeAll(async () => {
		const doc = await apiAsAdmin('/api/v1/openapi.json');
		for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, { parameters?: Array<{ in: string }>; requestBody?: unknown }>>))
			for (const [method, op] of Object.entries(item))
				ops.push({ path: p, method: method.toUpperCase(), params: [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]), hasBody: Boolean(op.requestBody), hasQuery: Boolean(op.parameters?.some((x) => x.in === 'query')) });
		ops = ops.filter((o) => o.path !== '/openapi.json' || o.method === 'GET');
		// A real member (not the admin): a valid path for the body tests; no bad body may change them.
		memberId = membersBefore.find((m) => m.email === 'membre@la-treso.demo')!.id;
	});

	/** A JSON error as the API promises it: 4xx, JSON, {"error":{"code","message"}}. */
	function jsonErrorProblem(r: Res, tag: string): string | null {
		if (r.status < 400 || r.status >= 500) return `${tag} -> ${r.status} ${r.text.slice(0, 200)}`;
		if (!r.type.includes('application/json')) return `${tag} -> ${r.status} not JSON (${r.type})`;
		try {
			const e = JSON.parse(r.text).error;
			if (typeof e?.code !== 'string' || typeof e?.message !== 'string' || !e.message) return `${tag} -> ${r.status} bad shape ${r.text.slice(0, 200)}`;
		} catch {
			return `${tag} -> ${r.status} unparsable ${r.text.slice(0, 200)}`;
		}
		return null;
	}

	const valid = (name: string) => (name === 'slug' ? DEMO_SLUG : name === 'userId' ? memberId : rnd());
	const fill = (p: string, values: Record<string, string>) => '/api/v1' + p.replace(/\{(\w+)\}/g, (_, n) => values[n]);
	const who = () => [
		{ label: 'anonymous', cookie: undefined },
		{ label: 'admin', cookie: adminCookie }
	];

	it('lists the operations it tests', () => {
		expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['GET /me', 'GET /places/{slug}', 'GET /places/{slug}/members', 'PATCH /places/{slug}/members/{userId}']));
	});

	it('bad path parameters: 4xx with the error shape', async () => {
		const mark = server.logs.length;
		const problems: string[] = [];
		for (const op of ops.filter((o) => o.params.length))
			for (const name of op.params)
				for (const bad of BAD_PARAMS)
					for (const w of who()) {
						const values = Object.fromEntries(op.params.map((n) => [n, n === name ? bad : valid(n)]));
						const url = fill(op.path, values);
						const r = await request(op.method, url, { cookie: w.cookie, headers: { origin: server.url, ...(op.hasBody ? { 'content-type': 'application/json' } : {}) }, body: op.hasBody ? JSON.stringify({ role: 'member' }) : undefined });
						const p = jsonErrorProblem(r, `${w.label} ${op.method} ${url.slice(0, 120)}`);
						if (p) problems.push(p);
					}
		// Unknown paths under /api/v1, including hostile ones, are JSON 404s too.
		for (const p of ['/api/v1/%00', '/api/v1/%ff/x', '/api/v1/places/%00/members/%00/x', `/api/v1/${'y'.repeat(3000)}`]) {
			const r = await request('GET', p);
			const e = jsonErrorProblem(r, `GET ${p.slice(0, 60)}`);
			if (e) problems.push(e);
		}
		expect(problems).toEqual([]);
		expect(await badLogLines(mark)).toEqual([]);
	});

	it('odd query strings: never >= 500, errors in the error shape', async () => {
		const mark = server.logs.length;
		const problems: string[] = [];
		const QS = ['?q=%00%ff', '?page=-1', '?page=abc', '?page=99999999999999999999', '?page=1&page=2', '?q=' + 'q'.repeat(5000), '?page=1e309', '?q[]=a&q[x]=b'];
		for (const op of ops.filter((o) => o.method === 'GET'))
			for (const q of QS)
				for (const w of who()) {
					const url = fill(op.path, Object.fromEntries(op.params.map((n) => [n, valid(n)]))) + q;
					const r = await request('GET', url, { cookie: w.cookie, headers: { origin: server.url } });
					if (r.status >= 400) {
						const p = jsonErrorProblem(r, `${w.label} GET ${url.slice(0, 120)}`);
						if (p) problems.push(p);
					} else if (r.status >= 300) problems.push(`${w.label} GET ${url} -> ${r.status}`);
				}
		expect(problems).toEqual([]);
		expect(await badLogLines(mark)).toEqual([]);
	});

	it('bad bodies (malformed JSON, wrong types, NUL, wrong content type, over 1 MB): 4xx with the error shape', async () => {
		const mark = server.logs.length;
		const problems: string[] = [];
		const BODIES: Array<{ label: string; body: BodyInit; type?: string }> = [
			{ label: 'malformed JSON', body: '{"role":' },
			{ label: 'trailing garbage', body: '{"role":"member"} x' },
			{ label: 'array', body: '[]' },
			{ label: 'null', body: 'null' },
			{ label: 'number', body: '42' },
			{ label: 'string', body: '"member"' },
			{ label: 'role: number', body: '{"role":42}' },
			{ label: 'role: 1e309', body: '{"role":1e309}' },
			{ label: 'role: null', body: '{"role":null}' },
			{ label: 'role: array', body: '{"role":["admin"]}' },
			{ label: 'role: object', body: '{"role":{"$ne":null}}' },
			{ label: 'role: 10,000 chars', body: JSON.stringify({ role: 'r'.repeat(10_000) }) },
			{ label: 'role: NUL', body: JSON.stringify({ role: 'mem\u0000ber' }) },
			{ label: 'role: SQL', body: JSON.stringify({ role: `admin' OR '1'='1` }) },
			{ label: 'proto pollution', body: '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}}}' },
			{ label: 'deep nesting', body: '['.repeat(5000) + ']'.repeat(5000) },
			{ label: 'invalid UTF-8', body: new Uint8Array([0x7b, 0x22, 0x72, 0x6f, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
			{ label: 'text/plain', body: '{"role":"member"}', type: 'text/plain' },
			{ label: 'form content type', body: 'role=admin', type: 'application/x-www-form-urlencoded' },
			{ label: 'no content type', body: '{"role":"member"}', type: '' },
			{ label: '1 MB+ of JSON', body: JSON.stringify({ role: 'm'.repeat(1024 * 1024 + 10) }) },
			{ label: '1 MB+ of spaces', body: ' '.repeat(1024 * 1024 + 10) + '{}' }
		];
		for (const op of ops.filter((o) => o.hasBody))
			for (const b of BODIES)
				for (const w of who()) {
					const url = fill(op.path, Object.fromEntries(op.params.map((n) => [n, valid(n)])));
					const headers: Record<string, string> = { origin: server.url };
					const type = b.type ?? 'application/json';
					if (type) headers['content-type'] = type;
					const r = await request(op.method, url, { cookie: w.cookie, headers, body: b.body });
					const p = jsonErrorProblem(r, `${w.label} ${op.method} ${op.path} (${b.label})`);
					if (p) problems.push(p);
				}
		// Every path with a method it does not have: JSON 405, whatever the body.
		for (const p of [...new Set(ops.map((o) => o.path))])
			for (const m of ['POST', 'PUT', 'DELETE', 'PATCH'].filter((m) => !ops.some((o) => o.path === p && o.method === m))) {
				const url = fill(p, Object.fromEntries([...p.matchAll(/\{(\w+)\}/g)].map((x) => [x[1], valid(x[1])])));
				const r = await request(m, url, { cookie: adminCookie, headers: { origin: server.url, 'content-type': 'application/json' }, body: '{"x":' });
				const e = jsonErrorProblem(r, `${m} ${p}`);
				if (e) problems.push(e);
				else if (r.status !== 405) problems.push(`${m} ${p} -> ${r.status} (expected 405)`);
			}
		expect(problems).toEqual([]);
		expect(await badLogLines(mark)).toEqual([]);
	});
});

describe('4. nothing saved was lost', () => {
	it('keeps the demo place settings and its members, and the admin still signs in', async () => {
		const after = await apiAsAdmin(`/api/v1/places/${DEMO_SLUG}`);
		expect(after).toEqual(placeBefore);
		expect(after).toMatchObject({ name: 'La Tréso', timezone: 'Europe/Paris' });
		const members = (await apiAsAdmin(`/api/v1/places/${DEMO_SLUG}/members`)).members;
		expect(members.map((m: { id: string; role: string; name: string; email: string }) => ({ id: m.id, role: m.role, name: m.name, email: m.email }))).toEqual(
			membersBefore.map((m) => ({ id: m.id, role: m.role, name: m.name, email: m.email }))
		);
		const cookie = await signIn(ADMIN.email, DEMO_PASSWORD);
		const profile = await request('GET', '/profile', { cookie, headers: { accept: 'text/html' } });
		expect(profile.status).toBe(200);
		expect(profile.text).toContain(ADMIN.name);
		expect(profile.text).toContain('lang="fr"');
	});

	it('logged no unhandled error during the whole run', () => {
		expect(server.logs.join('')).not.toMatch(/unhandled error|form action failed|API request failed/);
	});
});
