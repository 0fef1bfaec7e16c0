// Online payments at the HTTP level (both engines), never touching the network: Stripe Checkout sessions are
// created against a local fake Stripe server (a real HTTP round trip through the stripe client), webhooks are
// posted to the real route handlers with payloads signed locally (valid, bad or missing signature, replays,
// 20 concurrent deliveries, wrong amount, expiry). HelloAsso likewise against a local fake API: its unsigned
// notifications are only trusted after the checkout intent is fetched back.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../../tests/helpers/db';
import { startFakeStripe, type FakeStripe } from '../../../../../tests/helpers/fake-stripe';
import type { Database } from '../../../server/db/client';
import { bootApp, setApp } from '../../../server/app';
import { resetEnvForTests } from '../../../server/env';
import { receipt } from '../../../server/db/schema';
import type { AppError } from '../../../server/errors';
import { createPlace, addMember } from '../../places/commands.server';
import { createUserRecord } from '../../people/users.server';
import { resolvePlace, type PlaceContext } from '../../../server/place-context';
import { createProduct } from '../commands.server';
import { createOrder, getOrder } from '../checkout.server';
import { createWalletPack, walletBalances } from '../wallet.server';
import { startOnlinePayment } from './online.server';
import { resetHelloAssoToken } from './helloasso.server';
import * as stripeRoute from '../../../../routes/api/v1/webhooks/stripe/+server';
import * as helloassoRoute from '../../../../routes/api/v1/webhooks/helloasso/+server';

const SECRET = 'whsec_test_local_secret';
let database: Database;
let fake: FakeStripe;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);

type Route = { POST: (e: never) => Response | Promise<Response>; fallback: (e: never) => Response | Promise<Response> };
async function post(route: Route, body: string, headers: Record<string, string> = {}) {
	const url = 'http://lieu.test/api/v1/webhooks/x';
	const request = new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	const res = await route.POST({ request, url: new URL(url), params: {}, locals: { user: null, sessionId: null, locale: 'fr' } } as never);
	return { status: res.status, data: JSON.parse(await res.text()) };
}
const receiptCount = async () => (await database.db.select({ id: receipt.id }).from(receipt)).length;

function setEnv(vars: Record<string, string | undefined>) {
	for (const [k, v] of Object.entries(vars)) {
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	}
	resetEnvForTests();
}

beforeAll(async () => {
	fake = await startFakeStripe({ webhookSecret: SECRET });
	setEnv({ STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: fake.url });
	database = await freshDatabase();
	setApp(await bootApp(database));
	await database.db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Webhooks', slug: 'webhooks' }, null);
		ids.place = a.id;
		for (const [key, roleKey] of [
			['admin', 'admin'],
			['member', 'member']
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@hooks.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, a.id, u.id, roleKey, null);
		}
	});
	for (const key of ['admin', 'member']) ctx[key] = await resolvePlace(database.db, 'webhooks', { id: ids[key], isOperator: false });
	ids.pack = (await createWalletPack(database.db, ctx.admin.scope, { label: 'Carnet 5 h', unit: 'minutes', amount: 300, priceCents: 10000 })).id;
	ids.soup = (await createProduct(database.db, ctx.admin.scope, { name: 'Soupe', activity: 'cafe', vatCategory: 'food', prices: { public: 600 } })).id;
});
afterAll(async () => {
	setEnv({ STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_API_URL: undefined, HELLOASSO_CLIENT_ID: undefined, HELLOASSO_CLIENT_SECRET: undefined, HELLOASSO_ORGANIZATION_SLUG: undefined, HELLOASSO_API_URL: undefined });
	await fake?.close();
	await database?.close();
});

/** A member's hour-pack order with a Stripe session started on the fake server. */
async function orderWithSession() {
	const o = await createOrder(database.db, ctx.member.scope, { packId: ids.pack });
	const url = await startOnlinePayment(database.db, ctx.member.scope, o.id, { orderUrl: `http://lieu.test/webhooks/commande/${o.id}`, locale: 'fr', label: 'Commande' });
	const order = await getOrder(database.db, ctx.member.scope, o.id);
	return { order, url, session: fake.sessions.get(order.providerRef!)! };
}

describe('Stripe Checkout session (fake Stripe over HTTP)', () => {
	it('creates a session with the order id, amount and return URLs, and records it on the order', async () => {
		const { order, url, session } = await orderWithSession();
		expect(url).toBe(`${fake.url}/pay/${session.id}`);
		expect(order).toMatchObject({ provider: 'stripe', providerRef: session.id, status: 'pending' });
		const req = fake.requests.at(-1)!;
		expect(req.authorization).toBe('Bearer sk_test_fake');
		expect(req.form.get('client_reference_id')).toBe(order.id);
		expect(req.form.get('metadata[order_id]')).toBe(order.id);
		expect(req.form.get('line_items[0][price_data][unit_amount]')).toBe('10000');
		expect(req.form.get('line_items[0][price_data][currency]')).toBe('eur');
		expect(req.form.get('success_url')).toBe(`http://lieu.test/webhooks/commande/${order.id}?retour=ok`);
		// the session closes before the order expires, at least 30 minutes from now
		expect(session.expires_at * 1000).toBeGreaterThan(Date.now() + 30 * 60 * 1000);
		expect(session.expires_at * 1000).toBeLessThan(order.expiresAt.getTime());
	});
	it('refuses someone else’s order and orders that are not pending', async () => {
		const o = await createOrder(database.db, ctx.member.scope, { creditCents: 1000 });
		expect((await fail(startOnlinePayment(database.db, ctx.admin.scope, o.id, { orderUrl: 'http://x', locale: 'fr', label: 'x' })))?.code).toBe('not_found');
	});
});

describe('POST /api/v1/webhooks/stripe', () => {
	it('answers 400 for a missing, wrong or foreign signature and changes nothing', async () => {
		const { order, session } = await orderWithSession();
		const payload = fake.eventPayload('checkout.session.completed', { ...session, payment_status: 'paid', status: 'complete' });
		expect((await post(stripeRoute, payload)).status).toBe(400);
		expect((await post(stripeRoute, payload, { 'stripe-signature': 't=1,v1=deadbeef' })).status).toBe(400);
		const r = await post(stripeRoute, payload, { 'stripe-signature': fake.sign(payload, 'whsec_someone_else') });
		expect(r.status).toBe(400);
		expect(r.data.error.code).toBe('invalid_input');
		// a valid signature over another body does not validate this one
		expect((await post(stripeRoute, payload.replace('"amount_total":10000', '"amount_total":1'), { 'stripe-signature': fake.sign(payload) })).status).toBe(400);
		expect((await getOrder(database.db, ctx.member.scope, order.id)).status).toBe('pending');
	});
	it('a valid completed event pays the order once: replay and 20 concurrent deliveries → one receipt, wallet credited once', async () => {
		const { order, session } = await orderWithSession();
		const before = await receiptCount();
		const minutesBefore = (await walletBalances(database.db, ids.place, ids.member)).minutes;
		const payload = fake.eventPayload('checkout.session.completed', { ...session, payment_status: 'paid', status: 'complete' }, 'evt_concurrent_1');
		const header = fake.sign(payload);
		const all = await Promise.all(Array.from({ length: 20 }, () => post(stripeRoute, payload, { 'stripe-signature': header })));
		expect(all.map((r) => r.status)).toEqual(Array(20).fill(200));
		expect(all.filter((r) => r.data.result === 'paid')).toHaveLength(1);
		expect(all.filter((r) => r.data.result === 'duplicate')).toHaveLength(19);
		const replay = await post(stripeRoute, payload, { 'stripe-signature': fake.sign(payload) });
		expect(replay).toMatchObject({ status: 200, data: { received: true, result: 'duplicate', eventId: 'evt_concurrent_1' } });
		expect(await receiptCount()).toBe(before + 1);
		expect(await getOrder(database.db, ctx.member.scope, order.id)).toMatchObject({ status: 'paid', paymentMethod: 'online' });
		expect((await walletBalances(database.db, ids.place, ids.member)).minutes).toBe(minutesBefore + 300);
	});
	it('a completed event with the wrong amount or currency does not pay the order', async () => {
		const { order, session } = await orderWithSession();
		const payload = fake.eventPayload('checkout.session.completed', { ...session, payment_status: 'paid', amount_total: 100 });
		expect((await post(stripeRoute, payload, { 'stripe-signature': fake.sign(payload) })).data.result).toBe('amount_mismatch');
		const usd = fake.eventPayload('checkout.session.completed', { ...session, payment_status: 'paid', currency: 'usd' });
		expect((await post(stripeRoute, usd, { 'stripe-signature': fake.sign(usd) })).data.result).toBe('amount_mismatch');
		// an unpaid "completed" (delayed payment method) waits for async_payment_succeeded
		const unpaid = fake.eventPayload('checkout.session.completed', session);
		expect((await post(stripeRoute, unpaid, { 'stripe-signature': fake.sign(unpaid) })).data.result).toBe('ignored');
		expect((await getOrder(database.db, ctx.member.scope, order.id)).status).toBe('pending');
		const ok = fake.eventPayload('checkout.session.async_payment_succeeded', { ...session, payment_status: 'paid' });
		expect((await post(stripeRoute, ok, { 'stripe-signature': fake.sign(ok) })).data.result).toBe('paid');
	});
	it('expired and async_payment_failed release the order; unknown event types are acknowledged', async () => {
		const a = await orderWithSession();
		const exp = fake.eventPayload('checkout.session.expired', { ...a.session, status: 'expired' });
		expect((await post(stripeRoute, exp, { 'stripe-signature': fake.sign(exp) })).data.result).toBe('released');
		expect((await getOrder(database.db, ctx.member.scope, a.order.id)).status).toBe('expired');
		const b = await orderWithSession();
		const failed = fake.eventPayload('checkout.session.async_payment_failed', b.session);
		expect((await post(stripeRoute, failed, { 'stripe-signature': fake.sign(failed) })).data.result).toBe('released');
		expect((await getOrder(database.db, ctx.member.scope, b.order.id)).status).toBe('failed');
		const other = JSON.stringify({ id: 'evt_other', object: 'event', type: 'customer.created', data: { object: {} } });
		expect((await post(stripeRoute, other, { 'stripe-signature': fake.sign(other) }))).toMatchObject({ status: 200, data: { result: 'ignored' } });
		const res = await stripeRoute.fallback({ request: new Request('http://lieu.test/api/v1/webhooks/stripe') } as never);
		expect(res.status).toBe(405);
	});
});

describe('HelloAsso (fake API)', () => {
	let server: http.Server;
	let base = '';
	const intents = new Map<string, { id: number; metadata: Record<string, unknown>; totalAmount: number; order?: { id: number; payments: Array<{ id: number; amount: number; state: string }> } }>();
	let tokens = 0;
	beforeAll(async () => {
		server = http.createServer(async (req, res) => {
			const chunks: Buffer[] = [];
			for await (const c of req) chunks.push(c as Buffer);
			const body = Buffer.concat(chunks).toString('utf8');
			const send = (status: number, v: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(v));
			};
			if (req.method === 'POST' && req.url === '/oauth2/token') {
				const f = new URLSearchParams(body);
				if (f.get('grant_type') !== 'client_credentials' || f.get('client_secret') !== 'ha-secret') return send(401, { error: 'invalid_client' });
				tokens++;
				return send(200, { access_token: 'ha-token', token_type: 'bearer', expires_in: 1800 });
			}
			if (req.headers.authorization !== 'Bearer ha-token') return send(401, {});
			if (req.method === 'POST' && req.url === '/v5/organizations/la-treso/checkout-intents') {
				const b = JSON.parse(body);
				const id = 1000 + intents.size;
				intents.set(String(id), { id, metadata: b.metadata, totalAmount: b.totalAmount });
				return send(200, { id, redirectUrl: `${base}/pay/${id}` });
			}
			const m = /^\/v5\/organizations\/la-treso\/checkout-intents\/(\d+)$/.exec(req.url ?? '');
			if (req.method === 'GET' && m && intents.has(m[1])) return send(200, intents.get(m[1]));
			send(404, {});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		setEnv({ STRIPE_SECRET_KEY: undefined, HELLOASSO_CLIENT_ID: 'ha-client', HELLOASSO_CLIENT_SECRET: 'ha-secret', HELLOASSO_ORGANIZATION_SLUG: 'la-treso', HELLOASSO_API_URL: base });
		resetHelloAssoToken();
	});
	afterAll(async () => {
		await new Promise((r) => server.close(r));
	});

	it('creates a checkout intent in cents with the order id, and confirms only what the API shows as authorised', async () => {
		const o = await createOrder(database.db, ctx.member.scope, { products: [{ productId: ids.soup, quantity: 2 }] });
		const url = await startOnlinePayment(database.db, ctx.member.scope, o.id, { orderUrl: 'http://lieu.test/commande/x', locale: 'fr', label: 'Commande' });
		const order = await getOrder(database.db, ctx.member.scope, o.id);
		expect(order).toMatchObject({ provider: 'helloasso' });
		const intent = intents.get(order.providerRef!)!;
		expect(url).toBe(`${base}/pay/${intent.id}`);
		expect(intent).toMatchObject({ totalAmount: 1200, metadata: { orderId: o.id } });
		// a forged notification claiming a payment: the intent shows none, nothing happens
		const forged = JSON.stringify({ eventType: 'Order', data: { checkoutIntentId: intent.id, amount: { total: 1200 }, payments: [{ state: 'Authorized', amount: 1200 }] }, metadata: { orderId: o.id } });
		expect((await post(helloassoRoute, forged)).data.result).toBe('ignored');
		expect((await getOrder(database.db, ctx.member.scope, o.id)).status).toBe('pending');
		// HelloAsso shows an authorised payment of a different amount: refused
		intent.order = { id: 77, payments: [{ id: 1, amount: 1000, state: 'Authorized' }] };
		expect((await post(helloassoRoute, forged)).data.result).toBe('amount_mismatch');
		// the right amount: paid, once
		intent.order = { id: 78, payments: [{ id: 2, amount: 1200, state: 'Authorized' }] };
		const results = await Promise.all(Array.from({ length: 5 }, () => post(helloassoRoute, forged)));
		expect(results.filter((r) => r.data.result === 'paid')).toHaveLength(1);
		expect((await getOrder(database.db, ctx.member.scope, o.id)).status).toBe('paid');
		expect((await post(helloassoRoute, forged)).data.result).toBe('duplicate');
		expect(tokens).toBe(1);
	});
	it('answers 400 to a body that is not JSON, and ignores notifications naming no known intent', async () => {
		expect((await post(helloassoRoute, 'not json')).status).toBe(400);
		expect((await post(helloassoRoute, JSON.stringify({ eventType: 'Order', data: { checkoutIntentId: 999999 } }))).data.result).toBe('ignored');
		expect((await post(helloassoRoute, JSON.stringify({ eventType: 'Order', data: { checkoutIntentId: "1'; DROP TABLE x" } }))).data.result).toBe('ignored');
	});
});
