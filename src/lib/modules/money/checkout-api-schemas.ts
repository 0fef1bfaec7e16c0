// Response schemas of the checkout and wallet routes of the JSON API (they also document them in OpenAPI).
import { z } from 'zod';
import { ORDER_STATUSES, WALLET_ENTRY_KINDS, WALLET_UNITS } from './checkout-schema';

const cents = z.number().int();

export const walletOutput = z.object({
	cents: cents.describe('Euro credit, in cents.'),
	minutes: z.number().int().describe('Machine time left from hour packs, in minutes.'),
	entries: z
		.array(
			z.object({
				id: z.string(),
				unit: z.enum(WALLET_UNITS),
				amount: z.number().int().describe('Signed: credit > 0, spending < 0 (cents or minutes).'),
				kind: z.enum(WALLET_ENTRY_KINDS),
				orderId: z.string().nullable(),
				note: z.string().nullable(),
				createdAt: z.iso.datetime()
			})
		)
		.describe('Latest movements, newest first (at most 100).')
});

export const orderCreatedOutput = z.object({
	id: z.string(),
	status: z.enum(ORDER_STATUSES),
	totalCents: cents,
	payUrl: z.string().optional().describe('Where to send the buyer to pay online (when a payment provider is configured).')
});

export const orderOutput = z.object({
	id: z.string(),
	status: z.enum(ORDER_STATUSES),
	totalCents: cents,
	currency: z.string(),
	expiresAt: z.iso.datetime(),
	paidAt: z.iso.datetime().nullable(),
	paymentMethod: z.string().nullable(),
	provider: z.string().nullable(),
	lines: z.array(
		z.object({
			kind: z.string(),
			refId: z.string().nullable(),
			productId: z.string().nullable(),
			label: z.string(),
			quantity: z.number().int(),
			unitPriceCents: cents
		})
	)
});
