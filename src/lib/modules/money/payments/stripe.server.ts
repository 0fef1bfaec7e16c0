// Stripe Checkout: a hosted checkout session per order, and the webhook that tells us how it ended.
// Keys come from env (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET; STRIPE_API_URL points the client elsewhere
// for stripe-mock or the tests' fake server). The webhook body is verified with the raw bytes.
import Stripe from 'stripe';
import type { Db } from '../../../server/db/client';
import { env } from '../../../server/env';
import { AppError } from '../../../server/errors';
import { applyProviderEvent, type EventResult, type ProviderEvent } from '../checkout.server';
import type { CheckoutStart, PaymentProvider, StartedCheckout } from './provider';

let cached: { key: string; url: string | undefined; client: Stripe } | undefined;

/** The Stripe client of the configuration, or null when no key is set. */
export function stripeClient(): Stripe | null {
	const e = env();
	if (!e.STRIPE_SECRET_KEY) return null;
	if (cached && cached.key === e.STRIPE_SECRET_KEY && cached.url === e.STRIPE_API_URL) return cached.client;
	const config: Stripe.StripeConfig = { maxNetworkRetries: 1, timeout: 20_000 };
	if (e.STRIPE_API_URL) {
		const u = new URL(e.STRIPE_API_URL);
		config.host = u.hostname;
		config.port = u.port || (u.protocol === 'https:' ? '443' : '80');
		config.protocol = u.protocol === 'https:' ? 'https' : 'http';
	}
	cached = { key: e.STRIPE_SECRET_KEY, url: e.STRIPE_API_URL, client: new Stripe(e.STRIPE_SECRET_KEY, config) };
	return cached.client;
}

export const stripeProvider: PaymentProvider = {
	name: 'stripe',
	async start(c: CheckoutStart): Promise<StartedCheckout> {
		const stripe = stripeClient();
		if (!stripe) throw new AppError('conflict', { fields: { _: 'checkout.no_provider' } });
		let session: Stripe.Checkout.Session;
		try {
			session = await stripe.checkout.sessions.create({
				mode: 'payment',
				client_reference_id: c.orderId,
				metadata: { order_id: c.orderId, place_id: c.placeId },
				payment_intent_data: { metadata: { order_id: c.orderId } },
				line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: c.amountCents, product_data: { name: c.label } } }],
				success_url: c.successUrl,
				cancel_url: c.cancelUrl,
				expires_at: Math.floor(c.expiresAt.getTime() / 1000),
				locale: c.locale,
				...(c.buyerEmail ? { customer_email: c.buyerEmail } : {})
			});
		} catch (e) {
			throw new AppError('conflict', { detail: `stripe: ${e instanceof Error ? e.message : String(e)}`, fields: { _: 'checkout.provider_unavailable' }, cause: e });
		}
		if (!session.url) throw new AppError('conflict', { detail: 'stripe session without url', fields: { _: 'checkout.provider_unavailable' } });
		return { providerRef: session.id, redirectUrl: session.url };
	}
};

/** What our checkout does with a Stripe event type (others are acknowledged and ignored). */
function outcomeOf(event: Stripe.Event): { outcome: ProviderEvent['outcome']; session: Stripe.Checkout.Session } | null {
	switch (event.type) {
		case 'checkout.session.completed': {
			const session = event.data.object;
			// why: with a delayed method (SEPA debit) "completed" comes unpaid; async_payment_succeeded follows.
			return session.payment_status === 'paid' ? { outcome: 'paid', session } : null;
		}
		case 'checkout.session.async_payment_succeeded':
			return { outcome: 'paid', session: event.data.object };
		case 'checkout.session.async_payment_failed':
			return { outcome: 'failed', session: event.data.object };
		case 'checkout.session.expired':
			return { outcome: 'expired', session: event.data.object };
		default:
			return null;
	}
}

/**
 * Handles one webhook delivery: verifies the Stripe-Signature over the raw body (AppError invalid_input
 * → 400 when missing or wrong), then applies the event once. Returns what happened.
 */
export async function handleStripeWebhook(db: Db, rawBody: Buffer | string, signature: string | null, opts: { now?: Date } = {}): Promise<{ eventId: string; type: string; result: EventResult | 'ignored' }> {
	const secret = env().STRIPE_WEBHOOK_SECRET;
	if (!secret) throw new AppError('not_found', { detail: 'stripe webhooks are not configured' });
	if (!signature) throw new AppError('invalid_input', { detail: 'missing Stripe-Signature', fields: { 'stripe-signature': 'field.required' } });
	let event: Stripe.Event;
	try {
		event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
	} catch (e) {
		throw new AppError('invalid_input', { detail: `bad Stripe signature: ${e instanceof Error ? e.message : String(e)}`, fields: { 'stripe-signature': 'field.invalid' } });
	}
	const o = outcomeOf(event);
	if (!o) return { eventId: event.id, type: event.type, result: 'ignored' };
	const s = o.session;
	const orderId = s.client_reference_id ?? s.metadata?.order_id ?? null;
	const r = await applyProviderEvent(db, {
		provider: 'stripe',
		eventId: event.id,
		type: event.type,
		orderId,
		outcome: o.outcome,
		providerRef: s.id,
		amountCents: s.amount_total ?? undefined,
		currency: s.currency ?? undefined,
		now: opts.now
	});
	return { eventId: event.id, type: event.type, result: r.result };
}
