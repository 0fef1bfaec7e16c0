// HTTP plumbing shared by the provider webhook endpoints: the raw body (size-limited), JSON answers, and
// the error mapping of the API (400 for a bad signature, 500 so the provider retries what we could not do).
import { AppError } from '../../../server/errors';
import { apiErrorResponse } from '../../../server/http/api';

/** Largest webhook body accepted (providers send a few kilobytes). */
export const MAX_WEBHOOK_BYTES = 512 * 1024;

/** Reads the exact bytes of the request body (signatures are computed over them). */
export async function rawBody(request: Request): Promise<Buffer> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > MAX_WEBHOOK_BYTES) throw new AppError('payload_too_large');
	const buf = Buffer.from(await request.arrayBuffer());
	if (buf.length > MAX_WEBHOOK_BYTES) throw new AppError('payload_too_large');
	return buf;
}

export function webhookJson(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
}

/** Runs a webhook handler; errors become the API's JSON errors (English: read by machines and operators). */
export async function runWebhook(where: string, body: () => Promise<unknown>): Promise<Response> {
	try {
		return webhookJson({ received: true, ...(await body() as object) });
	} catch (e) {
		return apiErrorResponse(e, 'en', where);
	}
}

/** Any other method than POST: JSON 405 with Allow. */
export function webhookMethodNotAllowed(): Response {
	const res = apiErrorResponse(new AppError('method_not_allowed'), 'en');
	res.headers.set('allow', 'POST, OPTIONS');
	return res;
}
