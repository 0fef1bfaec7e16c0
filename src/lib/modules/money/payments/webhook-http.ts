// HTTP plumbing shared by the provider webhook endpoints: the exact request body, size-limited.
import { z } from 'zod';
import { AppError } from '../../../server/errors';

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

/** What a webhook answers (providers only look at the status). */
export const webhookOutput = z.object({
	received: z.literal(true),
	eventId: z.string().optional(),
	type: z.string().optional(),
	result: z.string().describe('paid, released, duplicate, already_final, late_payment, amount_mismatch, stale_checkout, unknown_order or ignored')
});
