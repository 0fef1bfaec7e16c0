// The qualification routes of the JSON API, called with real Request objects (both engines): POST grants
// (201, renewal, 400 invalid_input, 404 unknown person or another place's resource, 403 without permission,
// 401 without credentials, another place's token), GET lists for trainings.grant only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { bootApp, setApp } from '../../server/app';
import type { ApiEvent } from '../../server/http/api';
import { resource } from '../../server/db/schema';
import { newId } from '../../server/ids';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { createApiToken } from '../people/tokens.server';
import { hasValidQualification } from './qualifications.server';
import * as route from '../../../routes/api/v1/places/[slug]/qualifications/+server';

type Handler = (event: ApiEvent) => Promise<Response>;
let database: Database;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};
const USERS = [
	['staff', 'staff', 'a'],
	['member', 'member', 'a'],
	['other', 'member', 'a'],
	['adminB', 'admin', 'b'],
	['memberB', 'member', 'b']
] as const;

beforeAll(async () => {
	database = await freshDatabase();
	setApp(await bootApp(database));
	await database.db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Qualif A', slug: 'qualif-a', timezone: 'Europe/Paris' }, null);
		const b = await createPlace(tx, { name: 'Qualif B', slug: 'qualif-b', timezone: 'Europe/Paris' }, null);
		ids.a = a.id;
		ids.b = b.id;
		for (const [key, roleKey, p] of USERS) {
			const u = await createUserRecord(tx, { email: `${key}@qualif.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, p === 'a' ? a.id : b.id, u.id, roleKey, null);
		}
		for (const [key, placeId, months] of [
			['laser', a.id, 24],
			['laserB', b.id, null]
		] as const) {
			ids[key] = newId();
			await tx.insert(resource).values({ id: ids[key], placeId, kind: 'machine', name: key, slug: key.toLowerCase(), requiresQualification: true, qualificationMonths: months });
		}
	});
	for (const [key] of USERS) tokens[key] = (await createApiToken(database.db, ids[key], { name: key })).token;
});
afterAll(async () => {
	await database?.close();
});

async function call(method: string, slug: string, opts: { token?: string; json?: unknown; query?: string } = {}) {
	const headers = new Headers();
	if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
	if (opts.json !== undefined) headers.set('content-type', 'application/json');
	const url = `http://lieu.test/api/v1/places/${slug}/qualifications${opts.query ?? ''}`;
	const request = new Request(url, { method, headers, body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined });
	const handler = ((route as Record<string, unknown>)[method] ?? route.fallback) as Handler;
	const res = await handler({ request, url: new URL(url), params: { slug }, locals: { user: null, sessionId: null, locale: 'fr' } });
	const text = await res.text();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: res.status, data: (text ? JSON.parse(text) : undefined) as any };
}

describe('POST /places/{slug}/qualifications', () => {
	it('201 with the qualification, by e-mail, with the resource’s default expiry', async () => {
		const before = Date.now();
		const r = await call('POST', 'qualif-a', { token: tokens.staff, json: { email: 'member@qualif.test', resourceId: ids.laser } });
		expect(r.status).toBe(201);
		expect(r.data).toMatchObject({ id: expect.any(String), userId: ids.member, resourceId: ids.laser, status: 'valid', renewed: false, revokedAt: null, grantedBy: ids.staff });
		const years = (new Date(r.data.expiresAt).getTime() - before) / (365.25 * 86400_000);
		expect(years).toBeGreaterThan(1.99);
		expect(years).toBeLessThan(2.01);
		expect(await hasValidQualification(database.db, ids.a, ids.member, ids.laser, new Date())).toBe(true);
		ids.q = r.data.id;
	});
	it('201 again renews the live one (same id) with a later explicit expiry', async () => {
		const r = await call('POST', 'qualif-a', { token: tokens.staff, json: { userId: ids.member, resourceId: ids.laser, expiresAt: '2040-01-01T00:00:00+01:00' } });
		expect(r.status).toBe(201);
		expect(r.data).toMatchObject({ id: ids.q, renewed: true, expiresAt: '2039-12-31T23:00:00.000Z' });
	});
	it('400 invalid_input: neither or both of email/userId, a bad date, an expiry in the past, unknown names', async () => {
		for (const [json, field] of [
			[{ resourceId: ids.laser }, 'email'],
			[{ email: 'member@qualif.test', userId: ids.member, resourceId: ids.laser }, 'email'],
			[{ userId: ids.member, resourceId: ids.laser, expiresAt: '31/12/2030' }, 'expiresAt'],
			[{ userId: ids.member, resourceId: ids.laser, expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
			[{ email: 'pas-une-adresse', resourceId: ids.laser }, 'email'],
			[{ userId: ids.member }, 'resourceId'],
			[{ userId: ids.member, resourceId: ids.laser, level: 3 }, 'level']
		] as const) {
			const r = await call('POST', 'qualif-a', { token: tokens.staff, json });
			expect(r.status, JSON.stringify(json)).toBe(400);
			expect(r.data.error.code).toBe('invalid_input');
			expect(r.data.error.fields, JSON.stringify(json)).toHaveProperty([field]);
		}
		const fr = await call('POST', 'qualif-a', { token: tokens.staff, json: { resourceId: ids.laser } });
		expect(fr.data.error.fields.email).toBe('Indiquez soit une adresse e-mail, soit un identifiant de personne (pas les deux).');
		expect((await call('POST', 'qualif-a', { token: tokens.staff, json: [1, 2] })).status).toBe(400);
	});
	it('404 for a person who is not a member of that place, an unknown id, or another place’s resource', async () => {
		expect((await call('POST', 'qualif-a', { token: tokens.staff, json: { email: 'memberB@qualif.test', resourceId: ids.laser } })).status).toBe(404);
		expect((await call('POST', 'qualif-a', { token: tokens.staff, json: { email: 'nobody@qualif.test', resourceId: ids.laser } })).status).toBe(404);
		expect((await call('POST', 'qualif-a', { token: tokens.staff, json: { userId: 'nope', resourceId: ids.laser } })).status).toBe(404);
		const r = await call('POST', 'qualif-a', { token: tokens.staff, json: { userId: ids.member, resourceId: ids.laserB } });
		expect(r.status).toBe(404);
		expect(r.data.error.code).toBe('not_found');
		expect((await call('POST', 'nowhere', { token: tokens.staff, json: { userId: ids.member, resourceId: ids.laser } })).status).toBe(404);
	});
	it('403 without the permission; another place’s token gets 404 for this place’s resource and 403/404, never a grant', async () => {
		const r = await call('POST', 'qualif-a', { token: tokens.member, json: { userId: ids.other, resourceId: ids.laser } });
		expect(r.status).toBe(403);
		expect(r.data.error.code).toBe('forbidden');
		// An admin of place B is nobody in place A.
		const cross = await call('POST', 'qualif-a', { token: tokens.adminB, json: { userId: ids.other, resourceId: ids.laser } });
		expect(cross.status).toBe(403);
		// Through their own place, they cannot reach place A's people or resources.
		expect((await call('POST', 'qualif-b', { token: tokens.adminB, json: { userId: ids.other, resourceId: ids.laserB } })).status).toBe(404);
		expect((await call('POST', 'qualif-b', { token: tokens.adminB, json: { userId: ids.memberB, resourceId: ids.laser } })).status).toBe(404);
		expect(await hasValidQualification(database.db, ids.a, ids.other, ids.laser, new Date())).toBe(false);
		expect((await call('POST', 'qualif-a', { json: { userId: ids.other, resourceId: ids.laser } })).status).toBe(401);
		const b = await call('POST', 'qualif-b', { token: tokens.adminB, json: { email: 'memberB@qualif.test', resourceId: ids.laserB } });
		expect(b.status).toBe(201);
		expect(b.data.expiresAt).toBeNull();
	});
});

describe('GET /places/{slug}/qualifications', () => {
	it('lists the place’s qualifications for trainings.grant, filtered by person; never another place’s', async () => {
		const r = await call('GET', 'qualif-a', { token: tokens.staff, query: `?userId=${ids.member}` });
		expect(r.status).toBe(200);
		expect(r.data.qualifications.map((q: { id: string; userName: string; resourceName: string }) => [q.id, q.userName, q.resourceName])).toEqual([[ids.q, 'member', 'laser']]);
		expect((await call('GET', 'qualif-a', { token: tokens.staff, query: `?userId=${ids.memberB}` })).data.qualifications).toEqual([]);
		expect((await call('GET', 'qualif-a', { token: tokens.member })).status).toBe(403);
		expect((await call('GET', 'qualif-a', { token: tokens.adminB })).status).toBe(403);
		const b = await call('GET', 'qualif-b', { token: tokens.adminB });
		expect(b.data.qualifications.map((q: { userName: string }) => q.userName)).toEqual(['memberB']);
		expect((await call('GET', 'qualif-a', { token: tokens.staff, query: '?all=yes' })).status).toBe(400);
		expect((await call('DELETE', 'qualif-a', { token: tokens.staff })).status).toBe(405);
	});
});
