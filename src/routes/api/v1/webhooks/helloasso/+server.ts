// HelloAsso's notifications (not signed): the body only names a checkout intent, which is fetched back from
// HelloAsso's API before anything is confirmed (see payments/helloasso.server.ts).
import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { handleHelloAssoWebhook } from '$lib/modules/money/payments/helloasso.server';
import { rawBody, webhookOutput } from '$lib/modules/money/payments/webhook-http';

export const POST = apiRoute({
	method: 'POST',
	path: '/webhooks/helloasso',
	summary: 'HelloAsso notification URL',
	description: 'Body: a HelloAsso notification. It is not trusted: the checkout intent it names is read back from the HelloAsso API, and the order is paid only when that intent shows authorised payments of its exact amount. 404 when HelloAsso is not configured.',
	auth: 'public',
	errors: ['not_found', 'payload_too_large'],
	output: webhookOutput,
	handler: async (ctx) => ({ received: true as const, ...(await handleHelloAssoWebhook(ctx.db, (await rawBody(ctx.request)).toString('utf8'))) })
});

export const fallback = methodNotAllowed('/webhooks/helloasso');
