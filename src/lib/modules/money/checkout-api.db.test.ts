// The checkout and wallet routes of the JSON API, called with real Request objects (both engines):
// POST /orders (201, 400 field errors, 401), GET /orders/{id} (own or staff, 404 otherwise), GET /wallet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { bootApp, setApp } from '../../server/app';
import type { ApiEvent } from '../../server/http/api';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { createApiToken } from '../people/tokens.server';
import { insertProduct } from './commands.server';
import * as ordersRoute from '../../../routes/api/v1/places/[slug]/orders/+server';
import * as orderRoute from '../../../routes/api/v1/places/[slug]/orders/[id]/+server';
import * as walletRoute from '../../../routes/api/v1/places/[slug]/wallet/+server';

type Handler = (event: ApiEvent) => Promise<Response>;
let database: Database;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
	database = await freshDatabase();
	setApp(await bootApp(database));
	await database.db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Orders API', slug: 'orders-api' }, null);
		for (const [key, roleKey] of [
			['staff', 'staff'],
			['member', 'member'],
			['other', 'member']
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@orders.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, a.id, u.id, roleKey, null);
		}
		ids.plat = (await insertProduct(tx, a.id, { name: 'Plat du jour', activity: 'cafe', vatCategory: 'food', prices: { public: 1250, member: 1100 } })).id;
	});
	for (const key of ['staff', 'member', 'other']) tokens[key] = (await createApiToken(database.db, ids[key], { name: key })).token;
});
afterAll(async () => {
	await database?.close();
});

async function call(mod: Record<string, unknown>, method: string, pathname: string, opts: { token?: string; json?: unknown; params?: Record<string, string> } = {}) {
	const headers = new Headers();
	if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
	if (opts.json !== undefined) headers.set('content-type', 'application/json');
	const url = `http://lieu.test/api/v1${pathname}`;
	const request = new Request(url, { method, headers, body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined });
	const handler = (mod[method] ?? mod.fallback) as Handler;
	const res = await handler({ request, url: new URL(url), params: { slug: 'orders-api', ...opts.params }, locals: { user: null, sessionId: null, locale: 'fr' } });
	const text = await res.text();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: res.status, data: (text ? JSON.parse(text) : undefined) as any };
}

describe('orders API', () => {
	it('POST /orders: 201 with the member price; no payUrl without a provider', async () => {
		const r = await call(ordersRoute, 'POST', '/places/orders-api/orders', { token: tokens.member, json: { products: [{ productId: ids.plat, quantity: 2 }], creditCents: 1000 } });
		expect(r.status).toBe(201);
		expect(r.data).toEqual({ id: expect.any(String), status: 'pending', totalCents: 2 * 1100 + 1000 });
		ids.order = r.data.id;
	});
	it('POST /orders: 400 with field errors, 401 without credentials', async () => {
		const bad = await call(ordersRoute, 'POST', '/places/orders-api/orders', { token: tokens.member, json: { products: [{ productId: 'nope', quantity: 1 }] } });
		expect(bad.status).toBe(400);
		expect(bad.data.error.fields).toHaveProperty(['products.0.productId']);
		expect((await call(ordersRoute, 'POST', '/places/orders-api/orders', { token: tokens.member, json: { creditCents: 'lots' } })).status).toBe(400);
		expect((await call(ordersRoute, 'POST', '/places/orders-api/orders', { json: { creditCents: 1000 } })).status).toBe(401);
	});
	it('GET /orders/{id}: the buyer and staff see it, another member gets 404', async () => {
		const mine = await call(orderRoute, 'GET', `/places/orders-api/orders/${ids.order}`, { token: tokens.member, params: { id: ids.order } });
		expect(mine.status).toBe(200);
		expect(mine.data).toMatchObject({ id: ids.order, status: 'pending', totalCents: 3200, currency: 'EUR', paidAt: null });
		expect(mine.data.lines.map((l: { kind: string }) => l.kind)).toEqual(['product', 'wallet_credit']);
		expect((await call(orderRoute, 'GET', `/places/orders-api/orders/${ids.order}`, { token: tokens.staff, params: { id: ids.order } })).status).toBe(200);
		expect((await call(orderRoute, 'GET', `/places/orders-api/orders/${ids.order}`, { token: tokens.other, params: { id: ids.order } })).status).toBe(404);
	});
	it('GET /wallet: own balances and entries', async () => {
		const r = await call(walletRoute, 'GET', '/places/orders-api/wallet', { token: tokens.member });
		expect(r).toEqual({ status: 200, data: { cents: 0, minutes: 0, entries: [] } });
		expect((await call(walletRoute, 'GET', '/places/orders-api/wallet')).status).toBe(401);
	});
});
