// Pure invoice rules: input schemas, line and VAT totals, numbering, due dates, the mandatory mentions.
// No I/O and no clock: the issue date is passed in. Decision 010; French rules §2.2 and §3.
import { z } from 'zod';
import { addDays } from '../places/time';
import { CUSTOMER_KINDS, INVOICE_PAYMENT_METHODS, VAT_REGIMES, type InvoiceCustomer, type InvoiceKind, type InvoiceLine, type InvoiceRateTotal, type InvoiceSeller, type LineVatCode } from './invoice-schema';

/** VAT choices offered on a line (franchise is place-wide, see LINE_VAT_CODES). */
export const SELECTABLE_VAT = ['2000', '1000', '550', '210', 'exempt_training', 'exempt_rental'] as const;
export type SelectableVat = (typeof SELECTABLE_VAT)[number];

/** Rate of a VAT code in basis points (exemptions: 0). */
export function rateOf(code: LineVatCode): number {
	return /^\d+$/.test(code) ? Number(code) : 0;
}

/** Legal reference printed for exempt lines (French rules §2.2 item 9, §3). */
export const EXEMPTION_KEYS: Partial<Record<LineVatCode, string>> = {
	exempt_training: 'invoice.exempt.training',
	exempt_rental: 'invoice.exempt.rental',
	franchise: 'invoice.exempt.franchise'
};

/** Largest unit price (cents, excluding VAT) and quantity of a line; largest total excluding VAT. */
export const MAX_UNIT_CENTS = 10_000_000;
export const MAX_QUANTITY = 10_000;
export const MAX_TOTAL_CENTS = 1_000_000_000;
export const MAX_LINES = 50;
/** Longest payment term allowed by law from the issue date (C. com. L441-10: 60 days). */
export const MAX_TERMS_DAYS = 60;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const dateField = z.string('field.invalid').trim().refine(isRealDate, 'field.date');
const optionalText = (max: number) => z.string('field.invalid').trim().max(max, 'field.too_long').default('');
// why: people type SIREN/SIRET, VAT numbers and IBANs with spaces; store them compact.
const compact = (max: number) =>
	z
		.string('field.invalid')
		.max(max * 2, 'field.too_long')
		.transform((s) => s.replace(/[\s.-]/g, '').toUpperCase())
		.default('');

export const customerInput = z
	.strictObject({
		kind: z.enum(CUSTOMER_KINDS, 'field.invalid'),
		name: z.string('field.required').trim().min(1, 'field.required').max(200, 'field.too_long'),
		address: optionalText(300),
		postcode: optionalText(20),
		city: optionalText(120),
		country: z
			.string('field.invalid')
			.trim()
			.toUpperCase()
			.regex(/^[A-Z]{2}$/, 'field.invoice.country')
			.default('FR'),
		siret: compact(14).refine((s) => s === '' || /^(\d{9}|\d{14})$/.test(s), 'field.invoice.siren'),
		vatNumber: compact(15).refine((s) => s === '' || /^[A-Z]{2}[0-9A-Z]{2,13}$/.test(s), 'field.vat'),
		email: z
			.string('field.invalid')
			.trim()
			.max(254, 'field.too_long')
			.refine((s) => s === '' || z.email().safeParse(s).success, 'field.email')
			.default('')
	})
	.superRefine((c, ctx) => {
		// why: a business invoice names where the customer is established (mandatory mention, and BR-11 in CII).
		if (c.kind === 'business' && !c.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'field.required' });
		if (c.kind === 'business' && !c.city) ctx.addIssue({ code: 'custom', path: ['city'], message: 'field.required' });
	});

export const invoiceLineInput = z.strictObject({
	label: z.string('field.required').trim().min(1, 'field.required').max(300, 'field.too_long'),
	quantity: z
		.number('field.invoice.quantity')
		.refine((q) => Number.isFinite(q) && q > 0 && q <= MAX_QUANTITY, 'field.invoice.quantity')
		.refine((q) => Math.abs(Math.round(q * 1000) - q * 1000) < 1e-6, 'field.invoice.quantity'),
	unitPriceCents: z.number('field.invoice.price').int('field.invoice.price').min(0, 'field.invoice.price').max(MAX_UNIT_CENTS, 'field.invoice.price'),
	vat: z.enum(SELECTABLE_VAT, 'field.invalid').default('2000')
});

/** A new invoice: the customer, the lines, the dates (issue date = today in the place's zone). */
export const invoiceInput = z.strictObject({
	customer: customerInput,
	lines: z.array(invoiceLineInput, 'field.required').min(1, 'field.invoice.no_lines').max(MAX_LINES, 'field.invalid'),
	supplyDate: dateField.optional(),
	dueDate: dateField.optional(),
	note: optionalText(1000)
});
export type InvoiceInput = z.input<typeof invoiceInput>;

/** A credit note: for each credited line of the invoice, the quantity credited (the rest: 0). */
export const creditNoteInput = z.strictObject({
	invoiceId: z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid'),
	lines: z
		.array(
			z.strictObject({
				sourceLine: z.number('field.invalid').int('field.invalid').min(0, 'field.invalid').max(MAX_LINES, 'field.invalid'),
				quantity: z
					.number('field.invoice.quantity')
					.refine((q) => Number.isFinite(q) && q >= 0 && q <= MAX_QUANTITY, 'field.invoice.quantity')
					.refine((q) => Math.abs(Math.round(q * 1000) - q * 1000) < 1e-6, 'field.invoice.quantity')
			}),
			'field.required'
		)
		.min(1, 'field.invoice.no_lines')
		.max(MAX_LINES, 'field.invalid'),
	note: optionalText(1000)
});
export type CreditNoteInput = z.input<typeof creditNoteInput>;

export const invoicePaymentInput = z.strictObject({
	invoiceId: z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid'),
	paidOn: dateField,
	method: z.enum(INVOICE_PAYMENT_METHODS, 'field.invalid')
});
export type InvoicePaymentInput = z.input<typeof invoicePaymentInput>;

export const invoiceSettingsInput = z.strictObject({
	vatRegime: z.enum(VAT_REGIMES, 'field.invalid'),
	vatOnDebits: z.boolean('field.invalid').default(false),
	shareCapitalCents: z.number('field.invoice.price').int('field.invoice.price').min(0, 'field.invoice.price').max(MAX_TOTAL_CENTS, 'field.invoice.price').nullable().default(null),
	variableCapital: z.boolean('field.invalid').default(false),
	registration: optionalText(120),
	iban: compact(34).refine((s) => s === '' || isValidIban(s), 'field.invoice.iban'),
	bic: compact(11).refine((s) => s === '' || /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(s), 'field.invoice.bic'),
	paymentTermsDays: z.number('field.invoice.terms').int('field.invoice.terms').min(0, 'field.invoice.terms').max(MAX_TERMS_DAYS, 'field.invoice.terms'),
	latePenaltyRateBp: z.number('field.invoice.rate').int('field.invoice.rate').min(0, 'field.invoice.rate').max(10000, 'field.invoice.rate'),
	footer: optionalText(500)
});
export type InvoiceSettingsInput = z.input<typeof invoiceSettingsInput>;

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function isValidIban(iban: string): boolean {
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
	const moved = iban.slice(4) + iban.slice(0, 4);
	let rest = 0;
	for (const ch of moved) {
		const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
		for (const d of v) rest = (rest * 10 + Number(d)) % 97;
	}
	return rest === 1;
}

/** a / b rounded half away from zero, for integers (b > 0). */
export function divRound(a: number, b: number): number {
	const sign = a < 0 ? -1 : 1;
	return sign * Math.floor((2 * Math.abs(a) + b) / (2 * b));
}

/** Quantity (up to 3 decimals) as thousandths. */
export function toMilli(quantity: number): number {
	return Math.round(quantity * 1000);
}

/** An invoice line with its amount excluding VAT: round(quantity × unit price), half away from zero. */
export function buildInvoiceLine(l: { label: string; quantityMilli: number; unitPriceCents: number; vat: LineVatCode; sourceLine?: number }): InvoiceLine {
	const line: InvoiceLine = { label: l.label, quantityMilli: l.quantityMilli, unitPriceCents: l.unitPriceCents, vat: l.vat, rateBp: rateOf(l.vat), htCents: divRound(l.quantityMilli * l.unitPriceCents, 1000) };
	if (l.sourceLine !== undefined) line.sourceLine = l.sourceLine;
	return line;
}

const VAT_ORDER: LineVatCode[] = ['2000', '1000', '550', '210', 'exempt_training', 'exempt_rental', 'franchise'];

/**
 * Totals per VAT rate or exemption: the base is the sum of the lines excluding VAT, the VAT is computed
 * once on the base and rounded half away from zero (EN 16931 BR-CO-17), TTC = base + VAT.
 */
export function invoiceTotals(lines: readonly InvoiceLine[]): { totals: InvoiceRateTotal[]; htCents: number; vatCents: number; ttcCents: number } {
	const by = new Map<LineVatCode, number>();
	for (const l of lines) by.set(l.vat, (by.get(l.vat) ?? 0) + l.htCents);
	const totals = VAT_ORDER.filter((c) => by.has(c)).map((vat) => {
		const ht = by.get(vat)!;
		const rateBp = rateOf(vat);
		const vatCents = divRound(ht * rateBp, 10000);
		return { vat, rateBp, htCents: ht, vatCents, ttcCents: ht + vatCents };
	});
	const htCents = totals.reduce((s, t) => s + t.htCents, 0);
	const vatCents = totals.reduce((s, t) => s + t.vatCents, 0);
	return { totals, htCents, vatCents, ttcCents: htCents + vatCents };
}

/** The printed number: prefix, year of issue, the continuous number on six digits ("F-2026-000042"). */
export function invoiceReference(kind: InvoiceKind, issueDate: string, number: number): string {
	return `${kind === 'invoice' ? 'F' : 'AV'}-${issueDate.slice(0, 4)}-${String(number).padStart(6, '0')}`;
}

/** The due date: the chosen one (between the issue date and 60 days later) or issue date + payment terms. */
export function dueDateOf(issueDate: string, termsDays: number, chosen?: string): string | undefined {
	if (chosen === undefined) return addDays(issueDate, termsDays);
	if (chosen < issueDate || chosen > addDays(issueDate, MAX_TERMS_DAYS)) return undefined;
	return chosen;
}

/** SIREN of a SIRET (the first nine digits), or the SIREN itself. */
export function sirenOf(siret: string): string {
	return siret.slice(0, 9);
}

/** Legal forms whose capital is variable by nature (cooperatives). */
export const COOPERATIVE_FORMS = ['scic', 'scop'];

type T = (key: string, params?: Record<string, string | number>) => string;

/** "12,5 %" / "12.5%" from basis points. */
export function formatRate(bp: number, locale: 'fr' | 'en'): string {
	const n = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 }).format(bp / 100);
	return locale === 'fr' ? `${n}\u00a0%` : `${n}%`;
}

/** "1,5" / "1.5" from thousandths. */
export function formatQuantity(milli: number, locale: 'fr' | 'en'): string {
	return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 3 }).format(milli / 1000);
}

export interface MentionsDoc {
	kind: InvoiceKind;
	seller: InvoiceSeller;
	customer: InvoiceCustomer;
	lines: readonly InvoiceLine[];
	dueDate: string;
	supplyDate: string | null;
	issueDate: string;
	credited?: { reference: string; issueDate: string } | null;
}

/**
 * The seller's identification line (C. com. R123-237): name, legal form (and "à capital variable"), share
 * capital, registration, SIREN/SIRET, VAT number, registered office.
 */
export function sellerIdentity(s: InvoiceSeller, t: T, money: (cents: number) => string): string[] {
	const form = t(`invoice.legal_form.${s.legalForm}`);
	const parts = [s.name, form + (s.variableCapital ? ` ${t('invoice.variable_capital')}` : '')];
	if (s.shareCapitalCents !== null) parts.push(t('invoice.share_capital', { amount: money(s.shareCapitalCents) }));
	const ids: string[] = [];
	if (s.registration) ids.push(s.registration);
	if (s.siret) ids.push(`SIRET ${s.siret}`);
	if (s.vatNumber) ids.push(t('invoice.vat_number', { number: s.vatNumber }));
	return [parts.join(', '), ...(ids.length ? [ids.join(' · ')] : []), t('invoice.registered_office', { address: s.address })];
}

/**
 * The legal mentions printed under the totals (French rules §2.2): exemption references, VAT on debits,
 * payment terms (due date, no early-payment discount, late-payment penalty rate, the 40 EUR fixed
 * recovery fee for business customers), the credited invoice of a credit note.
 */
export function invoiceMentions(d: MentionsDoc, t: T, fmt: { date: (iso: string) => string; rate: (bp: number) => string }): string[] {
	const out: string[] = [];
	if (d.kind === 'credit_note' && d.credited) out.push(t('invoice.mention.credits', { reference: d.credited.reference, date: fmt.date(d.credited.issueDate) }));
	const codes = new Set(d.lines.map((l) => l.vat));
	for (const code of VAT_ORDER) if (codes.has(code) && EXEMPTION_KEYS[code]) out.push(t(EXEMPTION_KEYS[code]!));
	if (d.seller.vatOnDebits && d.seller.vatRegime === 'normal') out.push(t('invoice.mention.vat_on_debits'));
	if (d.kind === 'invoice') {
		out.push(t('invoice.mention.due', { date: fmt.date(d.dueDate) }));
		out.push(t('invoice.mention.no_discount'));
		out.push(t('invoice.mention.penalty', { rate: fmt.rate(d.seller.latePenaltyRateBp) }));
		if (d.customer.kind === 'business') out.push(t('invoice.mention.recovery_fee'));
	}
	return out;
}

/**
 * Splits a one-line French address "6 rue Gambetta, 92240 Malakoff" into street, postcode and city
 * (for the structured CII address); when it does not look like that, everything is the street.
 */
export function splitAddress(address: string): { line: string; postcode: string; city: string } {
	const m = /^(.*?)[,\s]+(\d{5})\s+([^,\d][^,]*)$/.exec(address.trim());
	if (!m) return { line: address.trim(), postcode: '', city: '' };
	return { line: m[1].trim(), postcode: m[2], city: m[3].trim() };
}

/** What remains creditable of each line of an invoice after earlier credit notes (thousandths). */
export function remainingQuantities(invoiceLines: readonly InvoiceLine[], creditNotes: ReadonlyArray<{ lines: readonly InvoiceLine[] }>): number[] {
	const left = invoiceLines.map((l) => l.quantityMilli);
	for (const cn of creditNotes) for (const l of cn.lines) if (l.sourceLine !== undefined && l.sourceLine < left.length) left[l.sourceLine] -= l.quantityMilli;
	return left;
}
