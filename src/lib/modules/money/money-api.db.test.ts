// The money routes of the JSON API, called with real Request objects: POST /sales (201 with the receipt,
// 400 invalid_input when payments don't match, 403/401), GET /products (public), GET /receipts (staff).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { bootApp, setApp } from '../../server/app';
import type { ApiEvent } from '../../server/http/api';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { createApiToken } from '../people/tokens.server';
import { insertProduct } from './commands.server';
import { verifyLedger } from './ledger.server';
import * as productsRoute from '../../../routes/api/v1/places/[slug]/products/+server';
import * as salesRoute from '../../../routes/api/v1/places/[slug]/sales/+server';
import * as receiptsRoute from '../../../routes/api/v1/places/[slug]/receipts/+server';

type Handler = (event: ApiEvent) => Promise<Response>;
let database: Database;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
	database = await freshDatabase();
	setApp(await bootApp(database));
	await database.db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Café API', slug: 'cafe-api' }, null);
		const b = await createPlace(tx, { name: 'Autre', slug: 'autre' }, null);
		ids.placeA = a.id;
		for (const [key, roleKey, placeId] of [
			['staff', 'staff', a.id],
			['member', 'member', a.id],
			['other', 'admin', b.id]
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@api.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, placeId, u.id, roleKey, null);
		}
		ids.plat = (await insertProduct(tx, a.id, { name: 'Plat du jour', activity: 'cafe', vatCategory: 'food', prices: { public: 1250, member: 1100 } })).id;
		ids.biere = (await insertProduct(tx, a.id, { name: 'Bière pression', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450 } })).id;
		ids.old = (await insertProduct(tx, a.id, { name: 'Ancien', activity: 'cafe', vatCategory: 'food', prices: { public: 100 }, active: false })).id;
	});
	for (const key of ['staff', 'member', 'other']) tokens[key] = (await createApiToken(database.db, ids[key], { name: key })).token;
});
afterAll(async () => {
	await database?.close();
});

async function call(mod: Record<string, unknown>, method: string, pathname: string, opts: { token?: string; json?: unknown; query?: string; slug?: string } = {}) {
	const headers = new Headers();
	if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
	if (opts.json !== undefined) headers.set('content-type', 'application/json');
	const url = `http://lieu.test/api/v1${pathname}${opts.query ? `?${opts.query}` : ''}`;
	const request = new Request(url, { method, headers, body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined });
	const handler = (mod[method] ?? mod.fallback) as Handler;
	const res = await handler({ request, url: new URL(url), params: { slug: opts.slug ?? 'cafe-api' }, locals: { user: null, sessionId: null, locale: 'fr' } });
	const text = await res.text();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: res.status, data: (text ? JSON.parse(text) : undefined) as any };
}

const sale = (json: unknown, token = tokens.staff, slug = 'cafe-api') => call(salesRoute, 'POST', `/places/${slug}/sales`, { token, json, slug });

describe('GET /places/{slug}/products', () => {
	it('lists the active products with their prices per audience, to anyone', async () => {
		const r = await call(productsRoute, 'GET', '/places/cafe-api/products');
		expect(r.status).toBe(200);
		expect(r.data).toEqual([
			{ id: ids.biere, name: 'Bière pression', activity: 'cafe', prices: { public: 450 } },
			{ id: ids.plat, name: 'Plat du jour', activity: 'cafe', prices: { public: 1250, member: 1100 } }
		]);
		expect((await call(productsRoute, 'GET', '/places/nowhere/products', { slug: 'nowhere' })).status).toBe(404);
		expect((await call(productsRoute, 'DELETE', '/places/cafe-api/products')).status).toBe(405);
	});
});

describe('POST /places/{slug}/sales', () => {
	it('201 with number, hash and total for two dishes and a beer on site paid cash', async () => {
		const r = await sale({
			lines: [
				{ productId: ids.plat, quantity: 2, context: 'on_site' },
				{ productId: ids.biere, quantity: 1, context: 'on_site' }
			],
			payments: [{ method: 'cash' }]
		});
		expect(r.status).toBe(201);
		expect(r.data).toEqual({ receipt: { number: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), totalCents: 2950 } });
		const again = await sale({ lines: [{ productId: ids.biere, quantity: 2 }], payments: [{ method: 'card', amountCents: 900 }] });
		expect(again.data.receipt.number).toBe(2);
	});
	it('400 invalid_input with a field message when payments don’t match the total', async () => {
		const r = await sale({ lines: [{ productId: ids.plat, quantity: 1 }], payments: [{ method: 'cash', amountCents: 1000 }] });
		expect(r.status).toBe(400);
		expect(r.data.error.code).toBe('invalid_input');
		expect(r.data.error.fields.payments).toBe('Les paiements ne correspondent pas au total de la vente.');
	});
	it('400 for inactive or unknown products and malformed lines; 401, 403, 404 as usual', async () => {
		const inactive = await sale({ lines: [{ productId: ids.old, quantity: 1 }], payments: [{ method: 'cash' }] });
		expect(inactive.status).toBe(400);
		expect(Object.keys(inactive.data.error.fields)).toEqual(['lines.0.productId']);
		const bad = await sale({ lines: [{ productId: ids.plat, quantity: 1.5, extra: 1 }], payments: [] });
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.data.error.fields)).toEqual(expect.arrayContaining(['lines.0.quantity', 'lines.0.extra', 'payments']));
		expect((await sale({ lines: [{ productId: ids.plat, quantity: 1 }], payments: [{ method: 'cash' }] }, '')).status).toBe(401);
		expect((await sale({ lines: [{ productId: ids.plat, quantity: 1 }], payments: [{ method: 'cash' }] }, tokens.member)).status).toBe(403);
		expect((await sale({ lines: [{ productId: ids.plat, quantity: 1 }], payments: [{ method: 'cash' }] }, tokens.other)).status).toBe(403);
		expect((await sale({ lines: [{ productId: ids.plat, quantity: 1 }], payments: [{ method: 'cash' }] }, tokens.other, 'autre')).status).toBe(400);
		expect((await sale({ lines: [{ productId: ids.plat, quantity: 1 }], payments: [{ method: 'cash' }] }, tokens.staff, 'nowhere')).status).toBe(404);
		expect((await call(salesRoute, 'GET', '/places/cafe-api/sales', { token: tokens.staff })).status).toBe(405);
		// nothing refused was written
		expect(await verifyLedger(database.db, ids.placeA)).toEqual({ ok: true, checked: 2, chains: 1 });
	});
});

describe('GET /places/{slug}/receipts', () => {
	it('lists the receipts of a period for staff, with lines, totals per rate and payments', async () => {
		const r = await call(receiptsRoute, 'GET', '/places/cafe-api/receipts', { token: tokens.staff, query: `from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}` });
		expect(r.status).toBe(200);
		expect(r.data.receipts.map((x: { number: number }) => x.number)).toEqual([1, 2]);
		expect(r.data.receipts[0]).toMatchObject({ training: false, kind: 'sale', totalCents: 2950, payments: [{ method: 'cash', amountCents: 2950 }] });
		expect(r.data.receipts[0].totals).toEqual([
			{ rateBp: 1000, outsideScope: false, htCents: 2273, vatCents: 227, ttcCents: 2500 },
			{ rateBp: 2000, outsideScope: false, htCents: 375, vatCents: 75, ttcCents: 450 }
		]);
		expect(r.data.receipts[1].previousHash).toBe(r.data.receipts[0].hash);
		const future = await call(receiptsRoute, 'GET', '/places/cafe-api/receipts', { token: tokens.staff, query: 'from=2999-01-01' });
		expect(future.data.receipts).toEqual([]);
		expect((await call(receiptsRoute, 'GET', '/places/cafe-api/receipts', { token: tokens.staff, query: 'from=yesterday' })).status).toBe(400);
		expect((await call(receiptsRoute, 'GET', '/places/cafe-api/receipts', { token: tokens.member })).status).toBe(403);
		expect((await call(receiptsRoute, 'GET', '/places/cafe-api/receipts')).status).toBe(401);
	});
});
