// Input schemas of the money module, shared by the commands, the JSON API and tests (messages are i18n keys).
import { z } from 'zod';
import { ACTIVITIES, AUDIENCES, PAYMENT_METHODS, SALE_CONTEXTS, VAT_CATEGORIES } from './schema';

const cents = z.number('field.invalid').int('field.invalid').min(0, 'field.invalid').max(100_000_000, 'field.invalid');

export const saleLineInput = z.strictObject({
	productId: z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid'),
	quantity: z.number('field.invalid').int('field.invalid').min(1, 'field.invalid').max(999, 'field.invalid'),
	context: z.enum(SALE_CONTEXTS, 'field.invalid').default('on_site')
});

/** Methods a counter sale is paid with (online and wallet payments go through an order, never the counter). */
export const COUNTER_METHODS = ['cash', 'card', 'cheque', 'transfer'] as const satisfies readonly (typeof PAYMENT_METHODS)[number][];

export const paymentInput = z.strictObject({
	method: z.enum(PAYMENT_METHODS, 'field.invalid').refine((m) => (COUNTER_METHODS as readonly string[]).includes(m), 'field.invalid'),
	amountCents: cents.optional()
});

/** A counter sale: lines from the catalogue, how it was paid, at which price list, on which till. */
export const saleInput = z.strictObject({
	lines: z.array(saleLineInput, 'field.required').min(1, 'field.required').max(200, 'field.invalid'),
	payments: z.array(paymentInput, 'field.required').min(1, 'field.required').max(10, 'field.invalid'),
	audience: z.enum(AUDIENCES, 'field.invalid').default('public'),
	till: z.string('field.invalid').trim().min(1, 'field.invalid').max(40, 'field.invalid').default('1'),
	training: z.boolean('field.invalid').default(false)
});
export type SaleInput = z.input<typeof saleInput>;

/** A product of the catalogue with its prices per audience (public price required). */
export const productInput = z.strictObject({
	name: z.string('field.required').trim().min(1, 'field.required').max(120, 'field.too_long'),
	activity: z.enum(ACTIVITIES, 'field.invalid'),
	vatCategory: z.enum(VAT_CATEGORIES, 'field.invalid'),
	prices: z.strictObject({
		public: cents,
		member: cents.optional(),
		reduced: cents.optional(),
		resident: cents.optional()
	}),
	active: z.boolean('field.invalid').default(true)
});
export type ProductInput = z.input<typeof productInput>;

export const correctionInput = z.strictObject({
	receiptId: z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid'),
	till: z.string('field.invalid').trim().min(1, 'field.invalid').max(40, 'field.invalid').optional()
});
export type CorrectionInput = z.input<typeof correctionInput>;

/** Receipts between two instants (ISO date-times or dates), training receipts only on request. */
export const receiptsQuery = z.strictObject({
	from: z.coerce.date('field.invalid').optional(),
	to: z.coerce.date('field.invalid').optional(),
	training: z
		.enum(['true', 'false'], 'field.invalid')
		.optional()
		.transform((v) => v === 'true')
});

/** Changes to a product of the catalogue: the same fields as a new product (prices absent = removed). */
export const productUpdateInput = productInput;
export type ProductUpdateInput = z.input<typeof productUpdateInput>;

/** The components of a set menu, in order (each a product of the place that is not itself a menu). */
export const menuComponentsInput = z.strictObject({
	components: z
		.array(
			z.strictObject({
				productId: z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid'),
				quantity: z.number('field.invalid').int('field.invalid').min(1, 'field.invalid').max(99, 'field.invalid').default(1)
			}),
			'field.required'
		)
		.min(1, 'money.menu_empty')
		.max(12, 'field.invalid')
});
export type MenuComponentsInput = z.input<typeof menuComponentsInput>;
