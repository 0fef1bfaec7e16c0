// Invoices and credit notes (factures et avoirs) to businesses and on request: the place's invoicing terms,
// the gap-free sequences, the append-only documents and their payments. Decision 010.
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, boolean, integer, date, jsonb, uniqueIndex, index, check, primaryKey } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** 'normal': the place charges VAT; 'franchise': franchise en base (CGI art. 293 B), no VAT charged. */
export const VAT_REGIMES = ['normal', 'franchise'] as const;
export type VatRegime = (typeof VAT_REGIMES)[number];
export const INVOICE_KINDS = ['invoice', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export const CUSTOMER_KINDS = ['business', 'individual'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
/**
 * VAT treatment of an invoice line: a rate (basis points) or an exemption with its legal reference.
 * 'franchise' is not chosen per line: every line of a place under franchise en base (art. 293 B) gets it.
 */
export const LINE_VAT_CODES = ['2000', '1000', '550', '210', 'exempt_training', 'exempt_rental', 'franchise'] as const;
export type LineVatCode = (typeof LINE_VAT_CODES)[number];
export const INVOICE_PAYMENT_METHODS = ['transfer', 'card', 'cheque', 'cash', 'direct_debit'] as const;
export type InvoicePaymentMethod = (typeof INVOICE_PAYMENT_METHODS)[number];

/**
 * What an invoice needs and the place's settings lack (the legal identity itself, name, address, legal
 * form, SIRET and VAT number, lives on `place`). One row per place, created with defaults on first use.
 */
export const invoiceSettings = pgTable(
	'invoice_settings',
	{
		placeId: text('place_id')
			.primaryKey()
			.references(() => place.id, { onDelete: 'cascade' }),
		vatRegime: text('vat_regime').$type<VatRegime>().notNull().default('normal'),
		/** "Option pour le paiement de la TVA d'après les débits" (services). */
		vatOnDebits: boolean('vat_on_debits').notNull().default(false),
		shareCapitalCents: integer('share_capital_cents'),
		variableCapital: boolean('variable_capital').notNull().default(true),
		/** "RCS Nanterre 123 456 789" (companies) or the RNA number "W921234567" (associations). */
		registration: text('registration').notNull().default(''),
		iban: text('iban').notNull().default(''),
		bic: text('bic').notNull().default(''),
		paymentTermsDays: integer('payment_terms_days').notNull().default(30),
		/** Late-payment penalty rate, per year, in basis points (at least 3 × the legal interest rate). */
		latePenaltyRateBp: integer('late_penalty_rate_bp').notNull().default(1000),
		/** Free text printed at the bottom of every invoice (e.g. "SCIC SAS à capital variable"). */
		footer: text('footer').notNull().default(''),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('invoice_settings_regime_ck', sql`${t.vatRegime} IN (${inList(VAT_REGIMES)})`),
		check('invoice_settings_terms_ck', sql`${t.paymentTermsDays} BETWEEN 0 AND 60`),
		check('invoice_settings_penalty_ck', sql`${t.latePenaltyRateBp} BETWEEN 0 AND 10000`),
		check('invoice_settings_capital_ck', sql`${t.shareCapitalCents} IS NULL OR ${t.shareCapitalCents} >= 0`)
	]
);

/**
 * One row per place and kind (invoice, credit note): the last number issued. Issuing locks the row
 * (SELECT … FOR UPDATE), so numbers are continuous without gaps even under concurrency. The sequence never
 * restarts: the year in "F-2026-000042" is the year of issue, the number runs on across years.
 */
export const invoiceSequence = pgTable(
	'invoice_sequence',
	{
		placeId: text('place_id')
			.notNull()
			.references(() => place.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<InvoiceKind>().notNull(),
		lastNumber: integer('last_number').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.placeId, t.kind] }), check('invoice_sequence_kind_ck', sql`${t.kind} IN (${inList(INVOICE_KINDS)})`)]
);

/** The customer as invoiced (a snapshot: later changes to a contact never touch an issued invoice). */
export interface InvoiceCustomer {
	kind: CustomerKind;
	name: string;
	address: string;
	postcode: string;
	city: string;
	/** ISO 3166-1 alpha-2 */
	country: string;
	/** SIREN (9 digits) or SIRET (14 digits), businesses. */
	siret: string;
	vatNumber: string;
	email: string;
}

/** The seller as it was when the invoice was issued. */
export interface InvoiceSeller {
	name: string;
	address: string;
	legalForm: string;
	siret: string;
	vatNumber: string;
	vatRegime: VatRegime;
	vatOnDebits: boolean;
	shareCapitalCents: number | null;
	variableCapital: boolean;
	registration: string;
	iban: string;
	bic: string;
	latePenaltyRateBp: number;
	footer: string;
}

/** One invoice line; amounts in cents excluding VAT. quantityMilli = quantity × 1000 (1.5 h → 1500). */
export interface InvoiceLine {
	label: string;
	quantityMilli: number;
	unitPriceCents: number;
	vat: LineVatCode;
	/** VAT rate in basis points (0 for exemptions). */
	rateBp: number;
	/** round(quantity × unit price), excluding VAT. */
	htCents: number;
	/** Credit notes: index of the line of the credited invoice. */
	sourceLine?: number;
}

/** Totals of one VAT rate or exemption: VAT computed once on the rate's base (EN 16931 BR-CO-17). */
export interface InvoiceRateTotal {
	vat: LineVatCode;
	rateBp: number;
	htCents: number;
	vatCents: number;
	ttcCents: number;
}

/**
 * Invoices and credit notes. Append-only: triggers refuse UPDATE, DELETE and TRUNCATE (custom migration);
 * payments live in invoice_payment. Amounts of a credit note are positive (it is a document of its own
 * type, 381 in UN/CEFACT CII) and reference the invoice it corrects.
 */
export const invoice = pgTable(
	'invoice',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id')
			.notNull()
			.references(() => place.id),
		kind: text('kind').$type<InvoiceKind>().notNull(),
		number: integer('number').notNull(),
		/** The printed number, e.g. "F-2026-000042" or "AV-2026-000003". */
		reference: text('reference').notNull(),
		issuedAt: timestamp('issued_at', { withTimezone: true, precision: 3 }).notNull(),
		/** Date of issue in the place's zone (YYYY-MM-DD). */
		issueDate: date('issue_date', { mode: 'string' }).notNull(),
		/** Date of the supply when it differs from the issue date. */
		supplyDate: date('supply_date', { mode: 'string' }),
		dueDate: date('due_date', { mode: 'string' }).notNull(),
		creditedInvoiceId: text('credited_invoice_id'),
		customer: jsonb('customer').$type<InvoiceCustomer>().notNull(),
		seller: jsonb('seller').$type<InvoiceSeller>().notNull(),
		lines: jsonb('lines').$type<InvoiceLine[]>().notNull(),
		totals: jsonb('totals').$type<InvoiceRateTotal[]>().notNull(),
		totalHtCents: integer('total_ht_cents').notNull(),
		totalVatCents: integer('total_vat_cents').notNull(),
		totalTtcCents: integer('total_ttc_cents').notNull(),
		/** Free note printed on the invoice (order reference, period…). */
		note: text('note').notNull().default(''),
		createdBy: text('created_by')
	},
	(t) => [
		// why: the last line of defence of gap-free numbering: two documents can never share a number.
		uniqueIndex('invoice_number_uq').on(t.placeId, t.kind, t.number),
		uniqueIndex('invoice_reference_uq').on(t.placeId, t.reference),
		index('invoice_place_issued_idx').on(t.placeId, t.issuedAt),
		index('invoice_credited_idx').on(t.creditedInvoiceId),
		check('invoice_kind_ck', sql`${t.kind} IN (${inList(INVOICE_KINDS)})`),
		check('invoice_number_ck', sql`${t.number} >= 1`),
		check('invoice_credit_ck', sql`(${t.kind} = 'credit_note') = (${t.creditedInvoiceId} IS NOT NULL)`),
		check('invoice_totals_ck', sql`${t.totalHtCents} >= 0 AND ${t.totalVatCents} >= 0 AND ${t.totalTtcCents} = ${t.totalHtCents} + ${t.totalVatCents}`),
		check('invoice_due_ck', sql`${t.dueDate} >= ${t.issueDate}`)
	]
);

/** The payment of an invoice (at most one: the invoice is then paid). Kept apart: an invoice never changes. */
export const invoicePayment = pgTable(
	'invoice_payment',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id')
			.notNull()
			.references(() => place.id),
		invoiceId: text('invoice_id')
			.notNull()
			.references(() => invoice.id),
		paidOn: date('paid_on', { mode: 'string' }).notNull(),
		method: text('method').$type<InvoicePaymentMethod>().notNull(),
		amountCents: integer('amount_cents').notNull(),
		recordedBy: text('recorded_by'),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// why: one payment record per invoice, even when two people mark it paid at once.
		uniqueIndex('invoice_payment_invoice_uq').on(t.invoiceId),
		check('invoice_payment_method_ck', sql`${t.method} IN (${inList(INVOICE_PAYMENT_METHODS)})`),
		check('invoice_payment_amount_ck', sql`${t.amountCents} >= 0`)
	]
);
