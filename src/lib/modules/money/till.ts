// Pure helpers of the staff till ("caisse"): amounts typed in euros, the sale form, change due, and the
// view model of a receipt (every mention of a French till receipt) shared by the page, the 80 mm layout,
// the PDF and the e-mail. No I/O, no clock. Server-side only (node:crypto for the operator's alias).
import crypto from 'node:crypto';
import { AppError } from '../../server/errors';
import { formatDateTime, formatMoney, translate, type Locale } from '../../i18n';
import { AUDIENCES, PAYMENT_METHODS, SALE_CONTEXTS, type Audience, type PaymentMethod, type RateTotal, type ReceiptLine, type ReceiptPayment, type SaleContext } from './schema';
import type { SaleInput } from './inputs';
import { parseEurosToCents } from './rules';

/** Largest amount typed at the till (cents): 1 000 000 €. */
const MAX_TYPED = 100_000_000;

/**
 * An amount typed in euros ("12", "12,5", "12.50", "1 234,56 €") to integer cents, through the shared parser
 * (rules.parseEurosToCents) with the till's conventions: empty → null; anything else that is not a non-negative
 * amount with at most two decimals, or above 1 000 000 € → undefined.
 */
export function parseEuros(raw: unknown): number | null | undefined {
	if (raw !== undefined && raw !== null && typeof raw !== 'string') return undefined;
	const cents = parseEurosToCents(raw);
	if (cents === undefined) return null;
	if (cents === null) return undefined;
	return cents <= MAX_TYPED ? cents : undefined;
}

/** Change to give back: what was tendered minus the cash due; undefined when not enough was tendered. */
export function changeDue(cashDueCents: number, tenderedCents: number): number | undefined {
	if (!Number.isInteger(cashDueCents) || !Number.isInteger(tenderedCents)) return undefined;
	return tenderedCents >= cashDueCents ? tenderedCents - cashDueCents : undefined;
}

/** How the sale is paid on the sell screen: one method for the total, or cash + card with amounts. */
export const PAY_MODES = [...PAYMENT_METHODS, 'split'] as const;
export type PayMode = (typeof PAY_MODES)[number];

export interface SaleForm {
	/** Quantity typed per product id (fields `qty-<id>`). */
	quantities: Record<string, string>;
	context?: string;
	audience?: string;
	pay?: string;
	splitCash?: string;
	splitCard?: string;
	tendered?: string;
	till?: string;
	training?: boolean;
}

export interface ParsedSale {
	input: SaleInput;
	/** Cash tendered (cents), when typed. */
	tenderedCents: number | null;
}

/**
 * The sell screen's form to a sale input. Throws invalid_input with per-field i18n keys (field names as
 * in the form) for what the form itself can tell: quantities, nothing selected, amounts, choices.
 * Whether the payments match the total is the engine's check (recordSale).
 */
export function parseSaleForm(f: SaleForm, productIds: readonly string[]): ParsedSale {
	const fields: Record<string, string> = {};
	const lines: Array<{ productId: string; quantity: number; context: SaleContext }> = [];
	const context = (SALE_CONTEXTS as readonly string[]).includes(f.context ?? '') ? (f.context as SaleContext) : undefined;
	if (!context) fields.context = 'field.invalid';
	for (const id of productIds) {
		const raw = (f.quantities[id] ?? '').trim();
		if (raw === '' || raw === '0') continue;
		if (!/^\d{1,3}$/.test(raw)) {
			fields[`qty-${id}`] = 'till.quantity_invalid';
			continue;
		}
		lines.push({ productId: id, quantity: Number(raw), context: context ?? 'on_site' });
	}
	for (const id of Object.keys(f.quantities)) if (!productIds.includes(id) && (f.quantities[id] ?? '').trim() !== '') fields.lines = 'money.unknown_product';
	if (!lines.length && !Object.keys(fields).some((k) => k.startsWith('qty-'))) fields.lines = 'till.nothing_selected';
	const audience = (f.audience ?? 'public') as Audience;
	if (!(AUDIENCES as readonly string[]).includes(audience)) fields.audience = 'field.invalid';
	const pay = (f.pay ?? 'cash') as PayMode;
	let payments: SaleInput['payments'] = [];
	if (!(PAY_MODES as readonly string[]).includes(pay)) fields.pay = 'field.invalid';
	else if (pay === 'split') {
		const cash = parseEuros(f.splitCash);
		const card = parseEuros(f.splitCard);
		if (cash === undefined) fields.splitCash = 'till.amount_invalid';
		if (card === undefined) fields.splitCard = 'till.amount_invalid';
		if (cash === null && card === null) fields.splitCash = 'till.split_amount_required';
		payments = [
			{ method: 'cash', ...(cash != null ? { amountCents: cash } : {}) },
			{ method: 'card', ...(card != null ? { amountCents: card } : {}) }
		];
	} else payments = [{ method: pay }];
	const tendered = parseEuros(f.tendered);
	if (tendered === undefined) fields.tendered = 'till.amount_invalid';
	const till = (f.till ?? '1').trim() || '1';
	if (till.length > 40) fields.till = 'field.invalid';
	if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
	return { input: { lines, payments, audience, till, training: Boolean(f.training) }, tenderedCents: tendered ?? null };
}

/** Cash part of settled payments (cents). */
export function cashPart(payments: readonly ReceiptPayment[]): number {
	return payments.filter((p) => p.method === 'cash').reduce((s, p) => s + p.amountCents, 0);
}

/** A short, stable pseudonym of an operator (never their name): "OP-" and 6 hex digits of a hash of the id. */
export function operatorAlias(ref: string | null): string {
	if (!ref) return '—';
	return `OP-${crypto.createHash('sha256').update(`lieu-operator:${ref}`).digest('hex').slice(0, 6).toUpperCase()}`;
}

/** A VAT rate in basis points as shown on a receipt: "10 %", "5,5 %" (fr), "5.5%" (en). */
export function formatRate(rateBp: number, locale: Locale): string {
	const n = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 }).format(rateBp / 100);
	return locale === 'fr' ? `${n}\u00a0%` : `${n}%`;
}

export interface ReceiptRecord {
	id: string;
	number: number;
	series: string;
	training: boolean;
	kind: 'sale' | 'correction';
	correctsId: string | null;
	issuedAt: Date | string;
	till: string;
	operatorRef: string | null;
	lines: ReceiptLine[];
	totals: RateTotal[];
	payments: ReceiptPayment[];
	totalCents: number;
	hash: string;
}

export interface PlaceIdentity {
	name: string;
	address: string;
	siret: string | null;
	vatNumber: string | null;
	timezone: string;
}

/** Everything a receipt shows, formatted in one language (strings only: ready for HTML, text and PDF). */
export interface ReceiptView {
	id: string;
	training: boolean;
	isCorrection: boolean;
	title: string;
	place: { name: string; address: string; siret: string | null; vatNumber: string | null };
	number: string;
	correctsNumber: string | null;
	dateTime: string;
	isoDateTime: string;
	till: string;
	operator: string;
	lines: Array<{ label: string; quantity: string; unitPrice: string; rate: string; total: string; context: string }>;
	rates: Array<{ rate: string; ht: string; vat: string; ttc: string }>;
	totalHt: string;
	totalVat: string;
	total: string;
	totalCents: number;
	payments: Array<{ method: string; amount: string; methodKey: PaymentMethod; amountCents: number }>;
	hashPrefix: string;
	mark: string | null;
}

/** Receipt number as printed: series, chain and zero-padded number ("T-000042", training "F-000003"). */
export function receiptNumber(r: { number: number; series: string; training: boolean }): string {
	const prefix = r.training ? 'F' : r.series === 'main' ? 'T' : r.series.toUpperCase();
	return `${prefix}-${String(r.number).padStart(6, '0')}`;
}

/** The view model of a receipt in a language; `corrected` is the number of the receipt a correction cancels. */
export function receiptView(r: ReceiptRecord, p: PlaceIdentity, locale: Locale, corrected?: { number: number; series: string; training: boolean } | null): ReceiptView {
	const t = (k: string, params?: Record<string, string | number>) => translate(locale, k, params);
	const money = (c: number) => formatMoney(c, locale);
	const sum = (k: 'htCents' | 'vatCents') => r.totals.reduce((s, x) => s + x[k], 0);
	return {
		id: r.id,
		training: r.training,
		isCorrection: r.kind === 'correction',
		title: r.kind === 'correction' ? t('till.receipt.correction_title') : t('till.receipt.title'),
		place: { name: p.name, address: p.address, siret: p.siret || null, vatNumber: p.vatNumber || null },
		number: receiptNumber(r),
		correctsNumber: corrected ? receiptNumber(corrected) : null,
		dateTime: formatDateTime(r.issuedAt, locale, p.timezone, { dateStyle: 'short', timeStyle: 'medium' }),
		isoDateTime: new Date(r.issuedAt).toISOString(),
		till: r.till,
		operator: operatorAlias(r.operatorRef),
		lines: r.lines.map((l) => ({
			label: l.label,
			quantity: String(l.quantity),
			unitPrice: money(l.unitPriceCents),
			rate: l.outsideScope ? t('till.receipt.outside_scope') : formatRate(l.rateBp, locale),
			total: money(l.totalCents),
			context: t(`till.context.${l.context}`)
		})),
		rates: r.totals.map((x) => ({ rate: x.outsideScope ? t('till.receipt.outside_scope') : formatRate(x.rateBp, locale), ht: money(x.htCents), vat: money(x.vatCents), ttc: money(x.ttcCents) })),
		totalHt: money(sum('htCents')),
		totalVat: money(sum('vatCents')),
		total: money(r.totalCents),
		totalCents: r.totalCents,
		payments: r.payments.map((x) => ({ method: t(`till.pay.${x.method}`), amount: money(x.amountCents), methodKey: x.method, amountCents: x.amountCents })),
		hashPrefix: r.hash.slice(0, 16),
		mark: r.training ? t('money.training_mark') : null
	};
}

/** The receipt as plain text (e-mail body, 80 mm columns: 42 characters). */
export function receiptText(v: ReceiptView, locale: Locale): string[] {
	const t = (k: string, params?: Record<string, string | number>) => translate(locale, k, params);
	const out: string[] = [];
	if (v.mark) out.push(`*** ${v.mark} ***`);
	out.push(v.place.name, v.place.address);
	if (v.place.siret) out.push(`${t('till.receipt.siret')} ${v.place.siret}`);
	if (v.place.vatNumber) out.push(`${t('till.receipt.vat_number')} ${v.place.vatNumber}`);
	out.push('', `${v.title} ${v.number}`);
	if (v.correctsNumber) out.push(t('till.receipt.corrects', { number: v.correctsNumber }));
	out.push(`${t('till.receipt.date')} ${v.dateTime}`, `${t('till.receipt.till')} ${v.till} · ${t('till.receipt.operator')} ${v.operator}`, '');
	for (const l of v.lines) out.push(`${l.quantity} × ${l.label}`, `   ${l.unitPrice} · ${t('till.receipt.vat')} ${l.rate} · ${l.total}`);
	out.push('', `${t('till.receipt.rate')} | ${t('till.receipt.ht')} | ${t('till.receipt.vat')} | ${t('till.receipt.ttc')}`);
	for (const x of v.rates) out.push(`${x.rate} | ${x.ht} | ${x.vat} | ${x.ttc}`);
	out.push(`${t('till.receipt.total_ht')} ${v.totalHt}`, `${t('till.receipt.total_vat')} ${v.totalVat}`, `${t('till.receipt.total_ttc')} ${v.total}`, '');
	for (const p of v.payments) out.push(`${p.method} ${p.amount}`);
	out.push('', `${t('till.receipt.hash')} ${v.hashPrefix}…`);
	if (v.mark) out.push(`*** ${v.mark} ***`);
	return out;
}
