// Tenant isolation over real HTTP: a built Lieu server holding two places, A and B. A's admin, with an API
// token or a browser session, can read and change A, and can neither read nor change B (API and admin pages),
// and nothing of B ever shows up in A's answers. Also checks the API contract end to end (JSON errors, 405,
// 404, 413, Bearer from a script without Origin).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LieuServer } from './harness';
import { openDatabase, type Database, type Db } from '../../src/lib/server/db/client';
import { migrateDatabase } from '../../src/lib/server/db/migrate';
import { createPlace, addMember } from '../../src/lib/modules/places/commands.server';
import { createUserRecord } from '../../src/lib/modules/people/users.server';
import { createApiToken } from '../../src/lib/modules/people/tokens.server';

const PASSWORD = 'une phrase assez longue 42';
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};
// Strings that exist only in place B: none may appear in any answer given to A's people.
const B_SECRETS = ['bazar-b@b.test', 'secret-b@b.test', 'Bob Bazar', 'Secret Bee', '98765432100019'];

async function seed(db: Db) {
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Atelier A', slug: 'atelier-a', siret: '12345678900012' }, null);
		const b = await createPlace(tx, { name: 'Bazar B', slug: 'bazar-b', siret: '98765432100019' }, null);
		ids.placeA = a.id;
		ids.placeB = b.id;
		const people: Array<[string, string, string, string, string]> = [
			['aAdmin', 'alice@a.test', 'Alice Atelier', 'admin', a.id],
			['aMember', 'marc@a.test', 'Marc Membre', 'member', a.id],
			['bAdmin', 'bazar-b@b.test', 'Bob Bazar', 'admin', b.id],
			['bMember', 'secret-b@b.test', 'Secret Bee', 'member', b.id]
		];
		for (const [key, email, name, roleKey, placeId] of people) {
			const u = await createUserRecord(tx, { email, name, password: PASSWORD, emailVerified: true });
			ids[key] = u.id;
			await addMember(tx, placeId, u.id, roleKey, null);
		}
	});
	for (const key of ['aAdmin', 'aMember', 'bAdmin']) tokens[key] = (await createApiToken(db, ids[key], { name: 'isolation test' })).token;
}

/**
 * Seeds a database the server will then own: a fresh PostgreSQL database when TEST_DATABASE_URL is set,
 * otherwise a PGlite folder prepared (and closed) before the server starts.
 */
async function prepareDatabase(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
	const pgUrl = process.env.TEST_DATABASE_URL;
	if (pgUrl) {
		const pg = (await import('pg')).default;
		const name = `lieu_e2e_${crypto.randomBytes(6).toString('hex')}`;
		const admin = new pg.Client({ connectionString: pgUrl });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${name}`);
		await admin.end();
		const u = new URL(pgUrl);
		u.pathname = `/${name}`;
		const url = u.toString();
		const database: Database = await openDatabase({ url, poolSize: 2 });
		try {
			await migrateDatabase(database);
			await seed(database.db);
		} finally {
			await database.close();
		}
		return {
			env: { DATABASE_URL: url },
			cleanup: async () => {
				const a = new pg.Client({ connectionString: pgUrl });
				await a.connect();
				await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
				await a.end();
			}
		};
	}
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-e2e-iso-'));
	const database = await openDatabase({ dataDir, holder: 'isolation test seed' });
	try {
		await migrateDatabase(database);
		await seed(database.db);
	} finally {
		await database.close();
	}
	return { env: { LIEU_DATA_DIR: dataDir }, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

let server: LieuServer;
let cleanup: (() => Promise<void>) | undefined;
beforeAll(async () => {
	const prepared = await prepareDatabase();
	cleanup = prepared.cleanup;
	server = await startServer(prepared.env);
});
afterAll(async () => {
	await server?.stop();
	await cleanup?.();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(method: string, pathname: string, opts: { token?: string; cookie?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; text: string; data: any }> {
	const headers: Record<string, string> = { ...opts.headers };
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	if (opts.cookie) headers.cookie = opts.cookie;
	let body = opts.body;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		headers['content-type'] ??= 'application/json';
	}
	const r = await fetch(server.url + pathname, { method, headers, body, redirect: 'manual' });
	const text = await r.text();
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		data = undefined;
	}
	return { status: r.status, headers: r.headers, text, data };
}

function expectJsonError(r: { status: number; headers: Headers; data: { error?: { code?: string; message?: string } } }, status: number, code: string) {
	expect(r.status).toBe(status);
	expect(r.headers.get('content-type')).toContain('application/json');
	expect(r.data?.error?.code).toBe(code);
	expect(typeof r.data?.error?.message).toBe('string');
}

function expectNoB(text: string) {
	for (const s of B_SECRETS) expect(text, `leaked "${s}"`).not.toContain(s);
}

/** Signs in through the real sign-in form (no JavaScript), returns the Cookie header of the session. */
async function signIn(email: string): Promise<string> {
	const r = await fetch(`${server.url}/login?/password`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
		body: new URLSearchParams({ email, password: PASSWORD, redirectTo: '/' }).toString(),
		redirect: 'manual'
	});
	expect(r.status).toBe(303);
	const cookies = r.headers.getSetCookie().map((c) => c.split(';')[0]);
	expect(cookies.some((c) => c.includes('session_token='))).toBe(true);
	return cookies.join('; ');
}

describe('API tenant isolation (Bearer tokens)', () => {
	it("lets A's admin read A's members, with nothing of B", async () => {
		const me = await api('GET', '/api/v1/me', { token: tokens.aAdmin });
		expect(me.status).toBe(200);
		expect(me.data).toEqual({ id: ids.aAdmin, name: 'Alice Atelier', email: 'alice@a.test', locale: 'fr', emailVerified: true, places: [{ slug: 'atelier-a', name: 'Atelier A', role: 'admin' }] });
		const r = await api('GET', '/api/v1/places/atelier-a/members', { token: tokens.aAdmin });
		expect(r.status).toBe(200);
		expect(r.data.members.map((m: { email: string }) => m.email).sort()).toEqual(['alice@a.test', 'marc@a.test']);
		expectNoB(me.text + r.text);
	});

	it("refuses A's admin B's members (403) and shows only B's public info", async () => {
		const r = await api('GET', '/api/v1/places/bazar-b/members', { token: tokens.aAdmin });
		expectJsonError(r, 403, 'forbidden');
		expect(r.data.error.message).toBe('Vous n’avez pas l’autorisation de faire cela.');
		expectNoB(r.text);
		const p = await api('GET', '/api/v1/places/bazar-b', { token: tokens.aAdmin });
		expect(p.status).toBe(200);
		expect(p.data.name).toBe('Bazar B');
		expect(p.data).not.toHaveProperty('role');
		expect(p.data).not.toHaveProperty('permissions');
		expectNoB(p.text);
	});

	it("refuses A's admin any change to B's members, and B stays as it was", async () => {
		const viaB = await api('PATCH', `/api/v1/places/bazar-b/members/${ids.bAdmin}`, { token: tokens.aAdmin, json: { role: 'member' } });
		expectJsonError(viaB, 403, 'forbidden');
		const promote = await api('PATCH', `/api/v1/places/bazar-b/members/${ids.bMember}`, { token: tokens.aAdmin, json: { role: 'admin' } });
		expectJsonError(promote, 403, 'forbidden');
		// B's member through A's own place: not a member of A, so not found (and nothing of B echoed back).
		const viaA = await api('PATCH', `/api/v1/places/atelier-a/members/${ids.bMember}`, { token: tokens.aAdmin, json: { role: 'staff' } });
		expectJsonError(viaA, 404, 'not_found');
		expectNoB(viaB.text + promote.text + viaA.text);
		const b = await api('GET', '/api/v1/places/bazar-b/members', { token: tokens.bAdmin });
		expect(b.status).toBe(200);
		expect(Object.fromEntries(b.data.members.map((m: { id: string; role: string }) => [m.id, m.role]))).toEqual({ [ids.bAdmin]: 'admin', [ids.bMember]: 'member' });
	});

	it('refuses a plain member of A the member list (403) and an anonymous caller (401 + WWW-Authenticate)', async () => {
		expectJsonError(await api('GET', '/api/v1/places/atelier-a/members', { token: tokens.aMember }), 403, 'forbidden');
		const anon = await api('GET', '/api/v1/places/atelier-a/members');
		expectJsonError(anon, 401, 'unauthenticated');
		expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expectJsonError(await api('GET', '/api/v1/me', { token: 'lieu_not-a-real-token' }), 401, 'unauthenticated');
	});

	it('takes JSON writes with a Bearer token from a script (no Origin), and guards the last admin', async () => {
		const r = await api('PATCH', `/api/v1/places/atelier-a/members/${ids.aMember}`, { token: tokens.aAdmin, json: { role: 'staff' } });
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({ id: ids.aMember, role: 'staff', email: 'marc@a.test' });
		const last = await api('PATCH', `/api/v1/places/atelier-a/members/${ids.aAdmin}`, { token: tokens.aAdmin, json: { role: 'member' }, headers: { 'accept-language': 'en' } });
		expectJsonError(last, 409, 'last_admin');
		expect(last.data.error.message).toBe('The place must keep at least one administrator.');
	});
});

describe('API contract over HTTP', () => {
	it('serves the OpenAPI 3.1 document publicly', async () => {
		const r = await api('GET', '/api/v1/openapi.json');
		expect(r.status).toBe(200);
		expect(r.data.openapi).toBe('3.1.0');
		expect(r.data.servers[0].url).toBe(`${server.url}/api/v1`);
		expect(Object.keys(r.data.paths)).toEqual(expect.arrayContaining(['/me', '/openapi.json', '/places/{slug}', '/places/{slug}/members', '/places/{slug}/members/{userId}']));
	});

	it('answers JSON 404 for unknown API paths and JSON 405 for a wrong method', async () => {
		for (const p of ['/api/v1', '/api/v1/nothing/here', '/api/v1/places/atelier-a/nothing']) expectJsonError(await api('GET', p, { token: tokens.aAdmin }), 404, 'not_found');
		expectJsonError(await api('GET', '/api/v1/places/nowhere'), 404, 'not_found');
		const m = await api('DELETE', '/api/v1/me', { token: tokens.aAdmin });
		expectJsonError(m, 405, 'method_not_allowed');
		expect(m.headers.get('allow')).toContain('GET');
	});

	it('never answers 500 to bad bodies: malformed JSON 400, wrong type 400, huge 413', async () => {
		const url = `/api/v1/places/atelier-a/members/${ids.aMember}`;
		const bad = await api('PATCH', url, { token: tokens.aAdmin, body: '{"role":', headers: { 'content-type': 'application/json' } });
		expectJsonError(bad, 400, 'invalid_input');
		expect(bad.data.error.fields).toEqual({ _: 'JSON mal formé.' });
		const wrong = await api('PATCH', url, { token: tokens.aAdmin, json: { role: ['admin'] } });
		expectJsonError(wrong, 400, 'invalid_input');
		expect(Object.keys(wrong.data.error.fields)).toEqual(['role']);
		const huge = await api('PATCH', url, { token: tokens.aAdmin, body: JSON.stringify({ role: 'x'.repeat(11 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
		expectJsonError(huge, 413, 'payload_too_large');
	});
});

describe('browser session isolation', () => {
	let cookie: string;
	beforeAll(async () => {
		cookie = await signIn('alice@a.test');
	});

	it("lets A's admin open A's people page, and answers 403 on B's", async () => {
		const own = await fetch(`${server.url}/atelier-a/admin/people`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
		expect(own.status).toBe(200);
		const ownHtml = await own.text();
		expect(ownHtml).toContain('marc@a.test');
		expectNoB(ownHtml);
		const other = await fetch(`${server.url}/bazar-b/admin/people`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
		expect(other.status).toBe(403);
		expectNoB(await other.text());
	});

	it("answers 403 to B's admin form actions posted by A's admin", async () => {
		const r = await fetch(`${server.url}/bazar-b/admin/people?/role`, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ userId: ids.bMember, role: 'admin' }).toString(),
			redirect: 'manual'
		});
		expect(r.status).toBe(403);
		const b = await api('GET', '/api/v1/places/bazar-b/members', { token: tokens.bAdmin });
		expect(b.data.members.find((m: { id: string }) => m.id === ids.bMember).role).toBe('member');
	});

	it('uses the session on the API same-origin, refuses B, and refuses the cookie cross-site', async () => {
		const own = await api('GET', '/api/v1/places/atelier-a/members', { cookie });
		expect(own.status).toBe(200);
		expectNoB(own.text);
		expectJsonError(await api('GET', '/api/v1/places/bazar-b/members', { cookie }), 403, 'forbidden');
		expectJsonError(await api('GET', '/api/v1/places/atelier-a/members', { cookie, headers: { origin: 'https://evil.example' } }), 403, 'forbidden');
	});
});

describe('server health after all of the above', () => {
	it('logged no unhandled or internal error', () => {
		expect(server.logs.join('')).not.toMatch(/API request failed|unhandled error/);
	});
});
