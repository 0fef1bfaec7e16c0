// A local fake of the bits of Stripe that Lieu uses, so tests never touch the network: the stripe client is
// pointed at it (STRIPE_API_URL → host/port/protocol) for real HTTP round trips, it creates Checkout Sessions,
// serves a tiny hosted "payment page" and, when "paid", posts a checkout.session.completed event to the app's
// webhook, signed locally with stripe.webhooks.generateTestHeaderString.
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface FakeSession {
	id: string;
	object: 'checkout.session';
	url: string;
	amount_total: number;
	currency: string;
	client_reference_id: string | null;
	metadata: Record<string, string>;
	payment_status: 'paid' | 'unpaid';
	status: 'open' | 'complete' | 'expired';
	success_url: string;
	cancel_url: string;
	expires_at: number;
	mode: 'payment';
}

export interface FakeStripe {
	url: string;
	sessions: Map<string, FakeSession>;
	/** Every API request received (method, path, form fields, authorization header). */
	requests: Array<{ method: string; path: string; form: URLSearchParams; authorization: string | undefined }>;
	/** Where "paying" on the fake page posts the signed event. */
	webhookUrl: string | undefined;
	/** A Stripe event JSON for a session (the payload to sign). */
	eventPayload(type: string, session: FakeSession, id?: string): string;
	/** The Stripe-Signature header for a payload. */
	sign(payload: string, secret?: string): string;
	close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export async function startFakeStripe(opts: { webhookSecret: string }): Promise<FakeStripe> {
	const sessions = new Map<string, FakeSession>();
	const requests: FakeStripe['requests'] = [];
	let base = '';
	const fake: FakeStripe = {
		url: '',
		sessions,
		requests,
		webhookUrl: undefined,
		eventPayload(type, session, id = `evt_${crypto.randomBytes(8).toString('hex')}`) {
			return JSON.stringify({ id, object: 'event', api_version: '2025-01-01', created: Math.floor(Date.now() / 1000), type, livemode: false, pending_webhooks: 1, request: null, data: { object: session } });
		},
		sign(payload, secret = opts.webhookSecret) {
			return Stripe.webhooks.generateTestHeaderString({ payload, secret });
		},
		close: () => new Promise((r) => server.close(() => r()))
	};
	const server = http.createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', base);
		const body = await readBody(req);
		const form = new URLSearchParams(body);
		if (url.pathname.startsWith('/v1/')) requests.push({ method: req.method ?? '', path: url.pathname, form, authorization: req.headers.authorization });
		const json = (status: number, value: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${crypto.randomBytes(4).toString('hex')}` });
			res.end(JSON.stringify(value));
		};
		if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
			if (req.headers.authorization !== 'Bearer sk_test_fake') return json(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
			const id = `cs_test_${crypto.randomBytes(8).toString('hex')}`;
			const unit = Number(form.get('line_items[0][price_data][unit_amount]'));
			const qty = Number(form.get('line_items[0][quantity]') ?? '1');
			const metadata: Record<string, string> = {};
			for (const [k, v] of form) {
				const m = /^metadata\[(.+)\]$/.exec(k);
				if (m) metadata[m[1]] = v;
			}
			const s: FakeSession = {
				id,
				object: 'checkout.session',
				url: `${base}/pay/${id}`,
				amount_total: unit * qty,
				currency: form.get('line_items[0][price_data][currency]') ?? 'eur',
				client_reference_id: form.get('client_reference_id'),
				metadata,
				payment_status: 'unpaid',
				status: 'open',
				success_url: form.get('success_url') ?? '',
				cancel_url: form.get('cancel_url') ?? '',
				expires_at: Number(form.get('expires_at') ?? 0),
				mode: 'payment'
			};
			sessions.set(id, s);
			return json(200, s);
		}
		const pay = /^\/pay\/(cs_test_[0-9a-f]+)$/.exec(url.pathname);
		const s = pay ? sessions.get(pay[1]) : undefined;
		if (s && req.method === 'GET') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			res.end(
				`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Fake Stripe</title></head><body><main><h1>Fake Stripe</h1><p>${(s.amount_total / 100).toFixed(2)} EUR</p><form method="post"><button type="submit">Payer (carte de test)</button></form><p><a href="${s.cancel_url}">Annuler</a></p></main></body></html>`
			);
			return;
		}
		if (s && req.method === 'POST') {
			s.payment_status = 'paid';
			s.status = 'complete';
			if (fake.webhookUrl) {
				const payload = fake.eventPayload('checkout.session.completed', s);
				await fetch(fake.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': fake.sign(payload) }, body: payload });
			}
			res.writeHead(303, { location: s.success_url });
			res.end();
			return;
		}
		json(404, { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } });
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	fake.url = base;
	return fake;
}
