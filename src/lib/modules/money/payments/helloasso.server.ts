// HelloAsso checkout (API v5), used when HELLOASSO_CLIENT_ID, HELLOASSO_CLIENT_SECRET and
// HELLOASSO_ORGANIZATION_SLUG are set: an OAuth2 client-credentials token, a checkout intent per order
// (amounts in cents), a redirect to HelloAsso's page. HelloAsso's notifications are NOT signed: the webhook
// never trusts their body, it only reads which checkout intent to look at, fetches that intent back from
// the API and confirms the order only if the intent shows authorised payments of exactly the order's amount.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../server/db/client';
import { env } from '../../../server/env';
import { AppError } from '../../../server/errors';
import { checkoutOrder } from '../checkout-schema';
import { applyProviderEvent, type EventResult } from '../checkout.server';
import type { CheckoutStart, PaymentProvider, StartedCheckout } from './provider';

export function helloAssoConfigured(): boolean {
	const e = env();
	return Boolean(e.HELLOASSO_CLIENT_ID && e.HELLOASSO_CLIENT_SECRET && e.HELLOASSO_ORGANIZATION_SLUG);
}

let token: { value: string; until: number; id: string; api: string } | undefined;

/** A bearer token (client credentials), kept until a minute before it expires. */
async function accessToken(): Promise<string> {
	const e = env();
	const api = e.HELLOASSO_API_URL.replace(/\/$/, '');
	if (token && token.id === e.HELLOASSO_CLIENT_ID && token.api === api && token.until > Date.now()) return token.value;
	const res = await fetch(`${api}/oauth2/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: e.HELLOASSO_CLIENT_ID!, client_secret: e.HELLOASSO_CLIENT_SECRET! }),
		signal: AbortSignal.timeout(15_000)
	});
	if (!res.ok) throw new Error(`helloasso token: HTTP ${res.status}`);
	const body = (await res.json()) as { access_token?: string; expires_in?: number };
	if (!body.access_token) throw new Error('helloasso token: no access_token');
	token = { value: body.access_token, until: Date.now() + Math.max((body.expires_in ?? 1800) - 60, 30) * 1000, id: e.HELLOASSO_CLIENT_ID!, api };
	return token.value;
}

/** Forgets the cached token (tests). */
export function resetHelloAssoToken() {
	token = undefined;
}

async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
	const e = env();
	const res = await fetch(`${e.HELLOASSO_API_URL.replace(/\/$/, '')}/v5/organizations/${encodeURIComponent(e.HELLOASSO_ORGANIZATION_SLUG!)}${path}`, {
		method: init.method ?? 'GET',
		headers: { authorization: `Bearer ${await accessToken()}`, accept: 'application/json', ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
		signal: AbortSignal.timeout(15_000)
	});
	if (!res.ok) throw new Error(`helloasso ${init.method ?? 'GET'} ${path}: HTTP ${res.status}`);
	return (await res.json()) as T;
}

export const helloAssoProvider: PaymentProvider = {
	name: 'helloasso',
	async start(c: CheckoutStart): Promise<StartedCheckout> {
		try {
			const r = await api<{ id: number | string; redirectUrl: string }>('/checkout-intents', {
				method: 'POST',
				json: {
					totalAmount: c.amountCents,
					initialAmount: c.amountCents,
					itemName: c.label.slice(0, 250),
					backUrl: c.cancelUrl,
					errorUrl: c.cancelUrl,
					returnUrl: c.successUrl,
					containsDonation: false,
					metadata: { orderId: c.orderId, placeId: c.placeId }
				}
			});
			if (!r?.id || typeof r.redirectUrl !== 'string') throw new Error('helloasso: bad checkout intent response');
			return { providerRef: String(r.id), redirectUrl: r.redirectUrl };
		} catch (e) {
			throw new AppError('conflict', { detail: e instanceof Error ? e.message : String(e), fields: { _: 'checkout.provider_unavailable' }, cause: e });
		}
	}
};

interface CheckoutIntent {
	id: number | string;
	metadata?: Record<string, unknown>;
	order?: { id: number | string; payments?: Array<{ id: number | string; amount: number; state: string }> };
}

/** The checkout intent id a notification points to (the only thing read from the unsigned body). */
function intentIdOf(body: unknown): string | null {
	const b = body as { data?: Record<string, unknown>; metadata?: Record<string, unknown> } | null;
	const raw = b?.data?.checkoutIntentId ?? b?.metadata?.checkoutIntentId ?? (b?.data?.order as Record<string, unknown> | undefined)?.checkoutIntentId;
	if ((typeof raw === 'number' && Number.isSafeInteger(raw)) || (typeof raw === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(raw))) return String(raw);
	return null;
}

/**
 * Handles one HelloAsso notification: finds the checkout intent it names, fetches it back from the API and
 * applies "paid" once when its authorised payments add up to the order's total. Anything else is ignored.
 */
export async function handleHelloAssoWebhook(db: Db, rawBody: string, opts: { now?: Date } = {}): Promise<{ result: EventResult | 'ignored' }> {
	if (!helloAssoConfigured()) throw new AppError('not_found', { detail: 'helloasso is not configured' });
	let body: unknown;
	try {
		body = JSON.parse(rawBody);
	} catch {
		throw new AppError('invalid_input', { detail: 'helloasso notification is not JSON' });
	}
	const intentId = intentIdOf(body);
	if (!intentId) return { result: 'ignored' };
	const [order] = await db
		.select({ id: checkoutOrder.id })
		.from(checkoutOrder)
		.where(and(eq(checkoutOrder.provider, 'helloasso'), eq(checkoutOrder.providerRef, intentId)));
	if (!order) return { result: 'ignored' };
	let intent: CheckoutIntent;
	try {
		intent = await api<CheckoutIntent>(`/checkout-intents/${encodeURIComponent(intentId)}`);
	} catch (e) {
		// why: HelloAsso retries a notification answered with an error; we could not check it now.
		throw new AppError('internal', { detail: e instanceof Error ? e.message : String(e), cause: e });
	}
	if (String(intent.id) !== intentId || (intent.metadata?.orderId !== undefined && intent.metadata.orderId !== order.id)) return { result: 'ignored' };
	const authorised = (intent.order?.payments ?? []).filter((p) => p.state === 'Authorized');
	if (!intent.order || !authorised.length) return { result: 'ignored' };
	const amountCents = authorised.reduce((s, p) => s + (Number.isSafeInteger(p.amount) ? p.amount : NaN), 0);
	const r = await applyProviderEvent(db, {
		provider: 'helloasso',
		eventId: `intent-${intentId}-order-${intent.order.id}`,
		type: 'checkout_intent.authorized',
		orderId: order.id,
		outcome: 'paid',
		providerRef: intentId,
		amountCents,
		currency: 'EUR',
		now: opts.now
	});
	return { result: r.result };
}
