// Stripe's webhook: the raw body is verified against the Stripe-Signature header (400 when missing or wrong),
// then the event is applied once (processed events are recorded; replays and concurrent deliveries do nothing).
// No `input` schema: the handler reads the exact bytes itself, since the signature covers them.
import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { handleStripeWebhook } from '$lib/modules/money/payments/stripe.server';
import { rawBody, webhookOutput } from '$lib/modules/money/payments/webhook-http';

export const POST = apiRoute({
	method: 'POST',
	path: '/webhooks/stripe',
	summary: 'Stripe webhook (checkout.session.completed, async_payment_succeeded, async_payment_failed, expired)',
	description: 'Body: a Stripe event, signed in the Stripe-Signature header with STRIPE_WEBHOOK_SECRET. 400 when the signature is missing or wrong; 404 when Stripe is not configured. Idempotent per event id.',
	auth: 'public',
	errors: ['not_found', 'payload_too_large'],
	output: webhookOutput,
	handler: async (ctx) => ({ received: true as const, ...(await handleStripeWebhook(ctx.db, await rawBody(ctx.request), ctx.request.headers.get('stripe-signature'))) })
});

export const fallback = methodNotAllowed('/webhooks/stripe');
