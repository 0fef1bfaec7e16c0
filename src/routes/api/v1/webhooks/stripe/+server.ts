// Stripe's webhook: the raw body is verified against the Stripe-Signature header (400 when missing or wrong),
// then the event is applied once (processed events are recorded; replays and concurrent deliveries do nothing).
import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { handleStripeWebhook } from '$lib/modules/money/payments/stripe.server';
import { rawBody, runWebhook, webhookMethodNotAllowed } from '$lib/modules/money/payments/webhook-http';

export const POST: RequestHandler = async ({ request }) =>
	runWebhook('POST /webhooks/stripe', async () => {
		const { database } = await getApp();
		const body = await rawBody(request);
		return handleStripeWebhook(database.db, body, request.headers.get('stripe-signature'));
	});

export const fallback: RequestHandler = async () => webhookMethodNotAllowed();
