// Response schemas of the invoice routes of the JSON API (they also document them in OpenAPI).
import { z } from 'zod';
import { CUSTOMER_KINDS, INVOICE_KINDS, INVOICE_PAYMENT_METHODS, LINE_VAT_CODES, VAT_REGIMES } from './invoice-schema';

const cents = z.number().int();

export const invoiceCreatedOutput = z.object({
	id: z.string(),
	number: z.string().describe('Printed number, e.g. F-2026-000042: year of issue + the place’s continuous, gap-free invoice number.'),
	sequence: z.number().int().describe('The continuous number alone.'),
	issueDate: z.iso.date(),
	dueDate: z.iso.date(),
	totalHtCents: cents,
	totalVatCents: cents,
	totalCents: cents.describe('Total including VAT.')
});

export const invoiceOutput = z.object({
	id: z.string(),
	kind: z.enum(INVOICE_KINDS),
	number: z.string(),
	sequence: z.number().int(),
	issuedAt: z.iso.datetime(),
	issueDate: z.iso.date(),
	supplyDate: z.iso.date().nullable(),
	dueDate: z.iso.date(),
	creditedInvoiceId: z.string().nullable().describe('For a credit note: the invoice it corrects.'),
	customer: z.object({ kind: z.enum(CUSTOMER_KINDS), name: z.string(), address: z.string(), postcode: z.string(), city: z.string(), country: z.string(), siret: z.string(), vatNumber: z.string(), email: z.string() }),
	seller: z.object({
		name: z.string(),
		address: z.string(),
		legalForm: z.string(),
		siret: z.string(),
		vatNumber: z.string(),
		vatRegime: z.enum(VAT_REGIMES),
		vatOnDebits: z.boolean(),
		shareCapitalCents: cents.nullable(),
		variableCapital: z.boolean(),
		registration: z.string(),
		iban: z.string(),
		bic: z.string(),
		latePenaltyRateBp: z.number().int(),
		footer: z.string()
	}).describe('The seller as it was when the document was issued.'),
	lines: z.array(
		z.object({
			label: z.string(),
			quantity: z.number().describe('Up to 3 decimals.'),
			unitPriceCents: cents.describe('Excluding VAT.'),
			vat: z.enum(LINE_VAT_CODES).describe('Rate in basis points (2000 = 20 %) or an exemption.'),
			rateBp: z.number().int(),
			htCents: cents
		})
	),
	totals: z.array(z.object({ vat: z.enum(LINE_VAT_CODES), rateBp: z.number().int(), htCents: cents, vatCents: cents, ttcCents: cents })),
	totalHtCents: cents,
	totalVatCents: cents,
	totalCents: cents,
	creditedCents: cents.describe('Sum of the credit notes of this invoice.'),
	remainingCents: cents.describe('Still due (0 once paid).'),
	payment: z.object({ paidOn: z.iso.date(), method: z.enum(INVOICE_PAYMENT_METHODS), amountCents: cents }).nullable()
});
