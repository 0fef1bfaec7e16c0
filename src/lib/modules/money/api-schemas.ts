// Response schemas of the money routes of the JSON API (they also document them in OpenAPI).
import { z } from 'zod';
import { ACTIVITIES, PAYMENT_METHODS, RECEIPT_KINDS, SALE_CONTEXTS } from './schema';

const cents = z.number().int();

export const productsOutput = z
	.array(
		z.object({
			id: z.string(),
			name: z.string(),
			activity: z.enum(ACTIVITIES),
			prices: z
				.object({ public: cents.optional(), member: cents.optional(), reduced: cents.optional(), resident: cents.optional() })
				.describe('Prices in cents, VAT included, per audience.')
		})
	)
	.describe('Active products of the place.');

export const saleOutput = z.object({
	receipt: z.object({
		number: z.number().int().describe('Gap-free number in the place’s till journal (per series; training receipts apart).'),
		hash: z.string().describe('SHA-256 (hex) of the previous receipt’s hash + this receipt’s canonical JSON.'),
		totalCents: cents
	})
});

const lineOutput = z.object({
	productId: z.string(),
	label: z.string(),
	activity: z.enum(ACTIVITIES),
	quantity: z.number().int(),
	unitPriceCents: cents,
	context: z.enum(SALE_CONTEXTS),
	rateBp: z.number().int().describe('VAT rate in basis points (1000 = 10 %).'),
	outsideScope: z.boolean(),
	totalCents: cents,
	htCents: cents,
	vatCents: cents
});

export const receiptsOutput = z.object({
	receipts: z.array(
		z.object({
			id: z.string(),
			series: z.string(),
			number: z.number().int(),
			training: z.boolean().describe('Training receipt (FACTICE): never part of any total.'),
			kind: z.enum(RECEIPT_KINDS),
			correctsId: z.string().nullable(),
			issuedAt: z.iso.datetime(),
			till: z.string(),
			operatorRef: z.string().nullable().describe('Pseudonymous id of the staff member.'),
			lines: z.array(lineOutput),
			totals: z.array(z.object({ rateBp: z.number().int(), outsideScope: z.boolean(), htCents: cents, vatCents: cents, ttcCents: cents })),
			payments: z.array(z.object({ method: z.enum(PAYMENT_METHODS), amountCents: cents })),
			totalCents: cents,
			previousHash: z.string(),
			hash: z.string()
		})
	)
});
