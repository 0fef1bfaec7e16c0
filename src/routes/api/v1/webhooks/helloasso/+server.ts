// HelloAsso's notifications (not signed): the body only names a checkout intent, which is fetched back from
// HelloAsso's API before anything is confirmed (see payments/helloasso.server.ts).
import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { handleHelloAssoWebhook } from '$lib/modules/money/payments/helloasso.server';
import { rawBody, runWebhook, webhookMethodNotAllowed } from '$lib/modules/money/payments/webhook-http';

export const POST: RequestHandler = async ({ request }) =>
	runWebhook('POST /webhooks/helloasso', async () => {
		const { database } = await getApp();
		const body = await rawBody(request);
		return handleHelloAssoWebhook(database.db, body.toString('utf8'));
	});

export const fallback: RequestHandler = async () => webhookMethodNotAllowed();
