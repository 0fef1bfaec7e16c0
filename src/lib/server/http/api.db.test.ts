// The JSON API wrapper and the first /api/v1 routes, called with real Request objects on a fresh database:
// error shapes (400/401/403/404/405/409/413/415), token and session auth, tenant isolation, and the
// OpenAPI document generated from the same schemas.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db/client';
import { bootApp, setApp } from '../app';
import { createPlace, addMember } from '../../modules/places/commands.server';
import { createUserRecord } from '../../modules/people/users.server';
import { createApiToken, revokeApiToken } from '../../modules/people/tokens.server';
import { apiErrorSchema } from '../../modules/places/api-schemas';
import { mintScope } from '../../modules/places/policy';
import { setWeeklyHours } from '../../modules/booking/hours.server';
import type { ApiEvent } from './api';
import * as openapiRoute from '../../../routes/api/v1/openapi.json/+server';
import * as meRoute from '../../../routes/api/v1/me/+server';
import * as placeRoute from '../../../routes/api/v1/places/[slug]/+server';
import * as membersRoute from '../../../routes/api/v1/places/[slug]/members/+server';
import * as memberRoute from '../../../routes/api/v1/places/[slug]/members/[userId]/+server';
import * as restRoute from '../../../routes/api/v1/[...rest]/+server';

type Handler = (event: ApiEvent) => Promise<Response>;
type RouteModule = Record<string, unknown>;
type SessionUser = NonNullable<App.Locals['user']>;

let database: Database;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};
const sessionOf: Record<string, SessionUser> = {};
const PASSWORD = 'une phrase assez longue 42';

beforeAll(async () => {
	database = await freshDatabase();
	setApp(await bootApp(database));
	const db = database.db;
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Atelier A', slug: 'atelier-a', siret: '123 456 789 00012', vatNumber: 'FR12345678901' }, null);
		const b = await createPlace(tx, { name: 'Bazar B', slug: 'bazar-b', siret: '98765432100019' }, null);
		ids.placeA = a.id;
		ids.placeB = b.id;
		const people: Array<[string, string, string, string]> = [
			['aAdmin', 'alice@a.test', 'Alice Admin', 'admin'],
			['aMember', 'marc@a.test', 'Marc Membre', 'member'],
			['aResident', 'rita@a.test', 'Rita Résidente', 'resident'],
			['bAdmin', 'bob@b.test', 'Bob Admin', 'admin'],
			['bMember', 'secret-b@b.test', 'Secret Bee', 'member']
		];
		for (const [key, email, name, roleKey] of people) {
			const u = await createUserRecord(tx, { email, name, password: PASSWORD, locale: key === 'bAdmin' ? 'en' : 'fr' });
			ids[key] = u.id;
			sessionOf[key] = { id: u.id, name, email, emailVerified: false, locale: u.locale, isOperator: false };
			await addMember(tx, key.startsWith('a') ? a.id : b.id, u.id, roleKey, null);
		}
	});
	for (const key of ['aAdmin', 'aMember', 'aResident', 'bAdmin']) tokens[key] = (await createApiToken(database.db, ids[key], { name: `${key} script` })).token;
});

afterAll(async () => {
	await database?.close();
});

interface CallOpts {
	token?: string;
	authorization?: string;
	session?: SessionUser;
	body?: string | Uint8Array;
	json?: unknown;
	headers?: Record<string, string>;
	params?: Record<string, string>;
	query?: string;
}

/** Calls a route module the way SvelteKit does: the method's export, else `fallback`. */
async function call(mod: RouteModule, method: string, pathname: string, opts: CallOpts = {}) {
	const headers = new Headers(opts.headers);
	if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
	if (opts.authorization) headers.set('authorization', opts.authorization);
	let body: BodyInit | undefined = opts.body as BodyInit | undefined;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		if (!headers.has('content-type')) headers.set('content-type', 'application/json');
	}
	const url = `http://lieu.test/api/v1${pathname}${opts.query ? `?${opts.query}` : ''}`;
	const request = new Request(url, { method, headers, body });
	const handler = (mod[method] ?? mod.fallback) as Handler | undefined;
	if (!handler) throw new Error(`no ${method} handler`);
	const res = await handler({ request, url: new URL(url), params: opts.params ?? {}, locals: { user: opts.session ?? null, sessionId: null, locale: 'fr' } });
	const text = await res.text();
	let data: unknown;
	try {
		data = text ? JSON.parse(text) : undefined;
	} catch {
		data = text;
	}
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: res.status, headers: res.headers, data: data as any };
}

function expectError(r: { status: number; data: unknown; headers: Headers }, status: number, code: string) {
	expect(r.status).toBe(status);
	expect(r.headers.get('content-type')).toContain('application/json');
	expect(apiErrorSchema.safeParse(r.data).success, JSON.stringify(r.data)).toBe(true);
	expect((r.data as { error: { code: string } }).error.code).toBe(code);
}

describe('authentication', () => {
	it('refuses a request without credentials with 401, WWW-Authenticate: Bearer and a French message by default', async () => {
		const r = await call(meRoute, 'GET', '/me');
		expectError(r, 401, 'unauthenticated');
		expect(r.headers.get('www-authenticate')).toBe('Bearer');
		expect(r.data.error.message).toBe('Connectez-vous pour continuer.');
		expect(r.data.error.fields).toBeUndefined();
	});

	it('translates messages by Accept-Language', async () => {
		const r = await call(meRoute, 'GET', '/me', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
		expectError(r, 401, 'unauthenticated');
		expect(r.data.error.message).toBe('Sign in to continue.');
	});

	it('refuses unknown, malformed and non-Bearer credentials with 401, even with a valid session', async () => {
		for (const authorization of ['Bearer lieu_doesnotexist', 'Bearer ' + 'x'.repeat(5000), 'Basic YWxpY2U6cHc=', 'Bearer', 'bearer  ', tokens.aAdmin + ' extra']) {
			const r = await call(meRoute, 'GET', '/me', { authorization, session: sessionOf.aAdmin });
			expectError(r, 401, 'unauthenticated');
			expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
		}
	});

	it('answers /me to a token holder with exactly the documented shape and only their places', async () => {
		const r = await call(meRoute, 'GET', '/me', { token: tokens.aAdmin });
		expect(r.status).toBe(200);
		expect(r.data).toEqual({ id: ids.aAdmin, name: 'Alice Admin', email: 'alice@a.test', locale: 'fr', emailVerified: false, places: [{ slug: 'atelier-a', name: 'Atelier A', role: 'admin' }] });
		expect(r.headers.get('cache-control')).toBe('no-store');
	});

	it('accepts the browser session for same-origin calls, refuses it cross-site', async () => {
		const ok = await call(meRoute, 'GET', '/me', { session: sessionOf.bAdmin, headers: { 'sec-fetch-site': 'same-origin' } });
		expect(ok.status).toBe(200);
		expect(ok.data.places).toEqual([{ slug: 'bazar-b', name: 'Bazar B', role: 'admin' }]);
		const cross = await call(meRoute, 'GET', '/me', { session: sessionOf.bAdmin, headers: { origin: 'https://evil.example' } });
		expectError(cross, 403, 'forbidden');
		// the person's own language when the request names none
		expect(cross.data.error.message).toBe('You are not allowed to do that.');
	});

	it('refuses a revoked token with 401', async () => {
		const t = await createApiToken(database.db, ids.aMember, { name: 'to revoke' });
		expect((await call(meRoute, 'GET', '/me', { token: t.token })).status).toBe(200);
		await revokeApiToken(database.db, ids.aMember, t.id);
		const r = await call(meRoute, 'GET', '/me', { token: t.token });
		expectError(r, 401, 'unauthenticated');
		expect(r.headers.get('www-authenticate')).toContain('invalid_token');
	});
});

describe('GET /places/{slug}', () => {
	const publicKeys = ['address', 'description', 'enabledModules', 'id', 'languages', 'legalForm', 'logoUrl', 'name', 'openingHours', 'slug', 'timezone'];

	it('shows public info to anyone, and no more', async () => {
		const r = await call(placeRoute, 'GET', '/places/atelier-a', { params: { slug: 'atelier-a' } });
		expect(r.status).toBe(200);
		expect(Object.keys(r.data).sort()).toEqual(publicKeys);
		expect(r.data).toMatchObject({ id: ids.placeA, slug: 'atelier-a', name: 'Atelier A', timezone: 'Europe/Paris', logoUrl: null });
	});

	it('adds role and permissions for members, and legal ids only with place.settings', async () => {
		const member = await call(placeRoute, 'GET', '/places/atelier-a', { params: { slug: 'atelier-a' }, token: tokens.aMember });
		expect(Object.keys(member.data).sort()).toEqual([...publicKeys, 'permissions', 'role'].sort());
		expect(member.data.role).toBe('member');
		expect(member.data.permissions).toEqual(['machines.book']);
		const admin = await call(placeRoute, 'GET', '/places/atelier-a', { params: { slug: 'atelier-a' }, token: tokens.aAdmin });
		expect(admin.data).toMatchObject({ role: 'admin', siret: '12345678900012', vatNumber: 'FR12345678901' });
		expect(admin.data.permissions).toContain('place.settings');
	});

	it('gives the opening hours from the place’s opening rules (the week set on /admin/horaires), never a free-text field', async () => {
		const staff = mintScope({ placeId: ids.placeA, slug: 'atelier-a', timezone: 'Europe/Paris', userId: ids.aAdmin, roleKey: 'admin', permissions: new Set(['bookings.manage']), isOperator: false });
		await setWeeklyHours(database.db, staff, { resourceId: null, days: { '2': [{ opensMin: 840, closesMin: 1080 }, { opensMin: 540, closesMin: 750 }], '6': [{ opensMin: 600, closesMin: 1440 }] } });
		const r = await call(placeRoute, 'GET', '/places/atelier-a', { params: { slug: 'atelier-a' } });
		expect(r.data.openingHours).toEqual({ tue: [{ from: '09:00', to: '12:30' }, { from: '14:00', to: '18:00' }], sat: [{ from: '10:00', to: '24:00' }] });
		// another place's rules never show
		const b = await call(placeRoute, 'GET', '/places/bazar-b', { params: { slug: 'bazar-b' } });
		expect(b.data.openingHours).toEqual({});
	});

	it("gives another place's admin only the public info", async () => {
		const r = await call(placeRoute, 'GET', '/places/bazar-b', { params: { slug: 'bazar-b' }, token: tokens.aAdmin });
		expect(r.status).toBe(200);
		expect(Object.keys(r.data).sort()).toEqual(publicKeys);
		expect(JSON.stringify(r.data)).not.toContain('98765432100019');
	});

	it('answers 404 JSON for an unknown place', async () => {
		const r = await call(placeRoute, 'GET', '/places/nowhere', { params: { slug: 'nowhere' }, token: tokens.aAdmin });
		expectError(r, 404, 'not_found');
	});
});

describe('GET /places/{slug}/members', () => {
	it('lists the members of the place to people.view, and never another place’s', async () => {
		const r = await call(membersRoute, 'GET', '/places/atelier-a/members', { params: { slug: 'atelier-a' }, token: tokens.aResident });
		expect(r.status).toBe(200);
		expect(r.data.total).toBe(3);
		expect(r.data.members.map((m: { email: string }) => m.email).sort()).toEqual(['alice@a.test', 'marc@a.test', 'rita@a.test']);
		const alice = r.data.members.find((m: { id: string }) => m.id === ids.aAdmin);
		expect(Object.keys(alice).sort()).toEqual(['email', 'id', 'name', 'role', 'since']);
		expect(alice.role).toBe('admin');
		expect(new Date(alice.since).toISOString()).toBe(alice.since);
		expect(JSON.stringify(r.data)).not.toMatch(/b\.test|Bee|Bob/);
	});

	it('refuses a member without people.view (403) and an anonymous caller (401)', async () => {
		expectError(await call(membersRoute, 'GET', '/places/atelier-a/members', { params: { slug: 'atelier-a' }, token: tokens.aMember }), 403, 'forbidden');
		expectError(await call(membersRoute, 'GET', '/places/atelier-a/members', { params: { slug: 'atelier-a' } }), 401, 'unauthenticated');
	});

	it("refuses A's admin on B's members (403), by token and by session", async () => {
		const r = await call(membersRoute, 'GET', '/places/bazar-b/members', { params: { slug: 'bazar-b' }, token: tokens.aAdmin });
		expectError(r, 403, 'forbidden');
		expect(JSON.stringify(r.data)).not.toMatch(/b\.test|Bee/);
		const s = await call(membersRoute, 'GET', '/places/bazar-b/members', { params: { slug: 'bazar-b' }, session: sessionOf.aAdmin });
		expectError(s, 403, 'forbidden');
	});

	it('filters and pages by query, and answers 400 with field details for bad query values', async () => {
		const q = await call(membersRoute, 'GET', '/places/atelier-a/members', { params: { slug: 'atelier-a' }, token: tokens.aAdmin, query: 'q=RITA&page=1' });
		expect(q.data.members.map((m: { id: string }) => m.id)).toEqual([ids.aResident]);
		const bad = await call(membersRoute, 'GET', '/places/atelier-a/members', { params: { slug: 'atelier-a' }, token: tokens.aAdmin, query: 'page=abc&colour=red' });
		expectError(bad, 400, 'invalid_input');
		expect(bad.data.error.fields).toEqual({ page: 'Valeur non valide.', colour: 'Nom inconnu : retirez-le.' });
		for (const query of ['page=0', 'page=-3', 'page=1.5', 'page=1e400', 'page=1&page=2', 'q=' + 'x'.repeat(300)]) {
			const r = await call(membersRoute, 'GET', '/places/atelier-a/members', { params: { slug: 'atelier-a' }, token: tokens.aAdmin, query });
			expectError(r, 400, 'invalid_input');
		}
	});
});

describe('PATCH /places/{slug}/members/{userId}', () => {
	const patch = (slug: string, userId: string, opts: CallOpts) => call(memberRoute, 'PATCH', `/places/${slug}/members/${userId}`, { params: { slug, userId }, ...opts });

	it('changes a role, returns the member and writes an audit entry', async () => {
		const r = await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, json: { role: 'staff' } });
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({ id: ids.aMember, name: 'Marc Membre', email: 'marc@a.test', role: 'staff' });
		expect(Object.keys(r.data).sort()).toEqual(['email', 'id', 'name', 'role', 'since']);
		const rows = await database.query<{ action: string; data: { to: string } }>(`SELECT action, data FROM audit_log WHERE place_id = $1 AND target_id = $2 AND action = 'member.role'`, [ids.placeA, ids.aMember]);
		expect(rows.map((x) => x.data.to)).toEqual(['staff']);
	});

	it('refuses to demote the last admin (409 last_admin)', async () => {
		const r = await patch('atelier-a', ids.aAdmin, { token: tokens.aAdmin, json: { role: 'member' }, headers: { 'accept-language': 'en' } });
		expectError(r, 409, 'last_admin');
		expect(r.data.error.message).toBe('The place must keep at least one administrator.');
	});

	it("refuses A's admin on B's members: 403 through B, 404 through A", async () => {
		expectError(await patch('bazar-b', ids.bAdmin, { token: tokens.aAdmin, json: { role: 'member' } }), 403, 'forbidden');
		expectError(await patch('atelier-a', ids.bMember, { token: tokens.aAdmin, json: { role: 'staff' } }), 404, 'not_found');
		const b = await call(membersRoute, 'GET', '/places/bazar-b/members', { params: { slug: 'bazar-b' }, token: tokens.bAdmin });
		expect(b.data.members.map((m: { role: string }) => m.role).sort()).toEqual(['admin', 'member']);
	});

	it('refuses a member without people.roles (403)', async () => {
		expectError(await patch('atelier-a', ids.aAdmin, { token: tokens.aResident, json: { role: 'member' } }), 403, 'forbidden');
	});

	it('answers 400 with field details for wrong types, unknown fields, unknown roles and bad JSON', async () => {
		const wrongType = await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, json: { role: 5 } });
		expectError(wrongType, 400, 'invalid_input');
		expect(wrongType.data.error.fields).toEqual({ role: 'Ce champ est obligatoire.' });
		const unknown = await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, json: { role: 'staff', isOperator: true } });
		expectError(unknown, 400, 'invalid_input');
		expect(Object.keys(unknown.data.error.fields)).toEqual(['isOperator']);
		const noRole = await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, json: { role: 'emperor' } });
		expectError(noRole, 400, 'invalid_input');
		expect(noRole.data.error.fields).toHaveProperty('role');
		const malformed = await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, body: '{"role": "staff",', headers: { 'content-type': 'application/json' } });
		expectError(malformed, 400, 'invalid_input');
		expect(malformed.data.error.fields).toEqual({ _: 'JSON mal formé.' });
		const empty = await patch('atelier-a', ids.aMember, { token: tokens.aAdmin });
		expectError(empty, 400, 'invalid_input');
		expect(empty.data.error.fields).toHaveProperty('role');
	});

	it('never answers 500 to hostile bodies', async () => {
		const bodies: Array<[string, string]> = [
			['null', 'application/json'],
			['"staff"', 'application/json'],
			['[]', 'application/json'],
			['[{"role":"staff"}]', 'application/json'],
			['{"role":null}', 'application/json'],
			['{"role":{"$ne":1}}', 'application/json'],
			['{"__proto__":{"role":"admin"}}', 'application/json'],
			['['.repeat(200_000), 'application/json'],
			['\u0000\u0001', 'application/json'],
			['{"role":"staff"}', 'application/json; charset=latin-1'],
			['{"role":"' + 'a'.repeat(500) + '"}', 'application/vnd.api+json']
		];
		for (const [body, type] of bodies) {
			const r = await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, body, headers: { 'content-type': type } });
			expect(r.status, body.slice(0, 40)).toBeGreaterThanOrEqual(200);
			expect(r.status, body.slice(0, 40)).toBeLessThan(500);
			if (r.status >= 400) expect(apiErrorSchema.safeParse(r.data).success).toBe(true);
		}
		const invalidUtf8 = await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'content-type': 'application/json' } });
		expectError(invalidUtf8, 400, 'invalid_input');
	});

	it('answers 415 for a non-JSON body and 413 for a huge one', async () => {
		expectError(await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, body: 'role=staff', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
		expectError(await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, body: '{"role":"staff"}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
		const huge = JSON.stringify({ role: 'staff', pad: 'x'.repeat(2 * 1024 * 1024) });
		expectError(await patch('atelier-a', ids.aMember, { token: tokens.aAdmin, body: huge, headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
	});
});

describe('routing errors', () => {
	it('answers a wrong method on a known route with JSON 405 and Allow', async () => {
		const r = await call(meRoute, 'POST', '/me', { token: tokens.aAdmin, json: {} });
		expectError(r, 405, 'method_not_allowed');
		expect(r.headers.get('allow')).toContain('GET');
		const d = await call(memberRoute, 'DELETE', `/places/atelier-a/members/${ids.aMember}`, { token: tokens.aAdmin });
		expectError(d, 405, 'method_not_allowed');
		expect(d.headers.get('allow')).toContain('PATCH');
	});

	it('answers an unknown path under /api/v1 with JSON 404, whatever the method', async () => {
		for (const method of ['GET', 'POST', 'DELETE']) expectError(await call(restRoute, method, '/nope/nothing'), 404, 'not_found');
	});
});

describe('OpenAPI document', () => {
	const v1 = path.resolve('src/routes/api/v1');
	function routeFiles(dir: string): string[] {
		return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === '+server.ts' ? [path.join(dir, e.name)] : []));
	}
	/** src/routes/api/v1/places/[slug]/+server.ts -> /places/{slug} */
	function openApiPath(file: string): string {
		const rel = path.relative(v1, path.dirname(file)).split(path.sep).join('/');
		return '/' + rel.replace(/\[([A-Za-z0-9_]+)(?:=[^\]]+)?\]/g, '{$1}');
	}

	it('is public, OpenAPI 3.1, and lists every route file with its methods', async () => {
		const r = await call(openapiRoute, 'GET', '/openapi.json');
		expect(r.status).toBe(200);
		const doc = r.data;
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.info.title).toBeTruthy();
		expect(doc.servers[0].url).toBe('http://lieu.test/api/v1');
		expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
		expect(doc.components.schemas.Error.properties.error).toBeTruthy();

		const files = routeFiles(v1).filter((f) => !f.includes('[...'));
		expect(files.length).toBeGreaterThanOrEqual(5);
		for (const file of files) {
			const p = openApiPath(file);
			expect(doc.paths, `${p} missing from the document`).toHaveProperty([p]);
			const mod = (await import(/* @vite-ignore */ file)) as RouteModule;
			expect(typeof mod.fallback, `${file} must export fallback = methodNotAllowed(...)`).toBe('function');
			for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
				expect(Boolean(doc.paths[p][m.toLowerCase()]), `${m} ${p}`).toBe(typeof mod[m] === 'function');
			}
		}
		expect(doc.paths['/places/{slug}/members/{userId}'].patch.requestBody.content['application/json'].schema.properties.role.type).toBe('string');
	});

	it('has a sound structure: declared path parameters, resolvable refs, unique operation ids, error responses', async () => {
		const doc = (await call(openapiRoute, 'GET', '/openapi.json')).data;
		const opIds = new Set<string>();
		const refs: string[] = [];
		(function walk(v: unknown) {
			if (Array.isArray(v)) v.forEach(walk);
			else if (v && typeof v === 'object')
				for (const [k, x] of Object.entries(v)) {
					if (k === '$ref') refs.push(x as string);
					else walk(x);
				}
		})(doc);
		for (const ref of refs) {
			expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z0-9_]+$/);
			expect(doc.components.schemas, ref).toHaveProperty([ref.split('/').pop()!]);
		}
		for (const [p, ops] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
			const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
			for (const [method, op] of Object.entries(ops)) {
				expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
				expect(typeof op.operationId).toBe('string');
				expect(opIds.has(op.operationId as string), `duplicate ${op.operationId}`).toBe(false);
				opIds.add(op.operationId as string);
				expect(typeof op.summary).toBe('string');
				const params = (op.parameters ?? []) as Array<{ name: string; in: string; required?: boolean; schema: unknown }>;
				for (const n of names) expect(params.find((x) => x.name === n && x.in === 'path' && x.required === true), `${method} ${p} {${n}}`).toBeTruthy();
				for (const x of params) expect(['path', 'query', 'header', 'cookie']).toContain(x.in);
				const responses = op.responses as Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
				expect(Object.keys(responses).some((s) => /^2\d\d$/.test(s))).toBe(true);
				expect(responses.default.content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
				expect(responses['401'].content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
				for (const res of Object.values(responses)) expect(typeof res.description).toBe('string');
			}
		}
		expect(doc.paths['/places/{slug}/members'].get.parameters.map((x: { name: string }) => x.name)).toEqual(['slug', 'q', 'page']);
		expect(doc.paths['/places/{slug}/members'].get.responses['403']).toBeTruthy();
		expect(doc.paths['/places/{slug}/members/{userId}'].patch.responses['409'].description).toContain('last_admin');
		expect(doc.paths['/openapi.json'].get.security).toContainEqual({});
	});
});
