// Pure money rules: VAT resolution and splitting, sale totals, payments, canonical JSON and the receipt hash.
// No I/O, no clock: the date of a sale is passed in.
import crypto from 'node:crypto';
import type { PaymentMethod, RateTotal, ReceiptLine, ReceiptPayment, SaleContext, VatCategory, VatContext } from './schema';

/** A VAT rate row as stored (dates as YYYY-MM-DD; valid_to inclusive, null = open-ended). */
export interface VatRateRow {
	category: VatCategory;
	context: VatContext;
	rateBp: number;
	outsideScope: boolean;
	validFrom: string;
	validTo: string | null;
}

export interface ResolvedRate {
	rateBp: number;
	outsideScope: boolean;
}

/**
 * The VAT rate of a category in a consumption context on a date (YYYY-MM-DD in the place's zone): a row for
 * that exact context wins over an 'any' row; only rows valid on that date count. Undefined when none applies.
 */
export function resolveVatRate(rates: readonly VatRateRow[], category: VatCategory, context: SaleContext, date: string): ResolvedRate | undefined {
	let best: VatRateRow | undefined;
	for (const r of rates) {
		if (r.category !== category) continue;
		if (r.context !== context && r.context !== 'any') continue;
		if (r.validFrom > date || (r.validTo !== null && r.validTo < date)) continue;
		// why: the specific context beats 'any'; among equals, the most recent validity wins.
		if (!best || (best.context === 'any' && r.context !== 'any') || (best.context === r.context && r.validFrom > best.validFrom)) best = r;
	}
	return best ? { rateBp: best.rateBp, outsideScope: best.outsideScope } : undefined;
}

/** a / b rounded half away from zero, for integers (b > 0). */
function divRound(a: number, b: number): number {
	const sign = a < 0 ? -1 : 1;
	const abs = Math.abs(a);
	return sign * Math.floor((2 * abs + b) / (2 * b));
}

/**
 * Splits an amount including VAT into {ht, vat} with Lieu's one rounding rule: the VAT is computed from
 * the VAT-included amount, vat = round(ttc × rate / (10000 + rate)), half away from zero (half up for
 * sales; a correction's negative amount mirrors its sale exactly); ht = ttc − vat.
 */
export function splitTtc(amountTtcCents: number, rateBp: number): { ht: number; vat: number } {
	if (!Number.isSafeInteger(amountTtcCents) || !Number.isInteger(rateBp) || rateBp < 0 || rateBp >= 10000) throw new RangeError('splitTtc: integer cents and basis points expected');
	if (Math.abs(amountTtcCents) * 2 * rateBp > Number.MAX_SAFE_INTEGER) throw new RangeError('splitTtc: amount too large');
	const vat = rateBp === 0 ? 0 : divRound(amountTtcCents * rateBp, 10000 + rateBp);
	return { ht: amountTtcCents - vat, vat };
}

/** A priced line before VAT: what the catalogue says for this product, audience and context. */
export interface PricedLine {
	productId: string;
	label: string;
	activity: ReceiptLine['activity'];
	quantity: number;
	unitPriceCents: number;
	context: SaleContext;
	rate: ResolvedRate;
	/** When the line is a component's share of a set menu. */
	menu?: ReceiptLine['menu'];
	/** Prepaid credit sold (a voucher): outside VAT now, marked so accounting books it as a debt. */
	voucher?: boolean;
}

/** A receipt line with its VAT computed (per line, on the line total, with splitTtc). */
export function buildLine(p: PricedLine): ReceiptLine {
	const voucher = p.voucher ? { voucher: true as const } : {};
	const totalCents = p.unitPriceCents * p.quantity;
	const { ht, vat } = splitTtc(totalCents, p.rate.rateBp);
	return {
		productId: p.productId,
		label: p.label,
		activity: p.activity,
		quantity: p.quantity,
		unitPriceCents: p.unitPriceCents,
		context: p.context,
		rateBp: p.rate.rateBp,
		outsideScope: p.rate.outsideScope,
		totalCents,
		htCents: ht,
		vatCents: vat,
		...(p.menu ? { menu: p.menu } : {}),
		...voucher
	};
}

/**
 * Splits the price of one set menu across its components (ventilation): each component's share is
 * proportional to its weight (its own price × quantity in the menu), by the largest-remainder method so
 * the shares add up to the menu price exactly; ties go to the earlier component. With all weights zero,
 * the price is split evenly. Integers only.
 */
export function allocateMenu(priceCents: number, weights: readonly number[]): number[] {
	if (!Number.isSafeInteger(priceCents) || priceCents < 0) throw new RangeError('allocateMenu: non-negative integer cents expected');
	if (weights.length === 0) throw new RangeError('allocateMenu: a menu needs components');
	if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('allocateMenu: non-negative integer weights expected');
	const w = weights.every((x) => x === 0) ? weights.map(() => 1) : weights;
	const total = w.reduce((s, x) => s + x, 0);
	if (priceCents * total > Number.MAX_SAFE_INTEGER) throw new RangeError('allocateMenu: amounts too large');
	const shares = w.map((x) => Math.floor((priceCents * x) / total));
	const remainders = w.map((x, i) => ({ i, r: (priceCents * x) % total }));
	let left = priceCents - shares.reduce((s, x) => s + x, 0);
	remainders.sort((a, b) => b.r - a.r || a.i - b.i);
	for (const { i } of remainders) {
		if (left <= 0) break;
		shares[i]++;
		left--;
	}
	return shares;
}

/** Totals per VAT rate (sums of the lines; outside-scope amounts apart), ordered by rate. */
export function totalsPerRate(lines: readonly ReceiptLine[]): RateTotal[] {
	const byKey = new Map<string, RateTotal>();
	for (const l of lines) {
		const key = `${l.outsideScope ? 'o' : 'v'}${l.rateBp}`;
		const t = byKey.get(key) ?? { rateBp: l.rateBp, outsideScope: l.outsideScope, htCents: 0, vatCents: 0, ttcCents: 0 };
		t.htCents += l.htCents;
		t.vatCents += l.vatCents;
		t.ttcCents += l.totalCents;
		byKey.set(key, t);
	}
	return [...byKey.values()].sort((a, b) => Number(a.outsideScope) - Number(b.outsideScope) || a.rateBp - b.rateBp);
}

/** Adds up totals per rate of several receipts (corrections count negative), ordered like totalsPerRate. */
export function sumRateTotals(list: ReadonlyArray<readonly RateTotal[]>): RateTotal[] {
	const byKey = new Map<string, RateTotal>();
	for (const totals of list)
		for (const t of totals) {
			const key = `${t.outsideScope ? 'o' : 'v'}${t.rateBp}`;
			const s = byKey.get(key) ?? { rateBp: t.rateBp, outsideScope: t.outsideScope, htCents: 0, vatCents: 0, ttcCents: 0 };
			s.htCents += t.htCents;
			s.vatCents += t.vatCents;
			s.ttcCents += t.ttcCents;
			byKey.set(key, s);
		}
	return [...byKey.values()].sort((a, b) => Number(a.outsideScope) - Number(b.outsideScope) || a.rateBp - b.rateBp);
}

/**
 * Settles the payments of a sale: at most one payment may leave its amount out, and it pays what remains
 * (a single payment without amount pays the total). Returns undefined when they do not add up to the total.
 */
export function settlePayments(total: number, payments: ReadonlyArray<{ method: PaymentMethod; amountCents?: number }>): ReceiptPayment[] | undefined {
	const open = payments.filter((p) => p.amountCents === undefined);
	if (open.length > 1 || payments.length === 0) return undefined;
	const given = payments.reduce((s, p) => s + (p.amountCents ?? 0), 0);
	const rest = total - given;
	if (open.length === 1 && (rest < 0 || (rest === 0 && total !== 0))) return undefined;
	if (open.length === 0 && rest !== 0) return undefined;
	return payments.map((p) => ({ method: p.method, amountCents: p.amountCents ?? rest }));
}

/** Canonical JSON: object keys sorted (recursively), no spaces, undefined members left out; integers and strings only where it matters. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
		return JSON.stringify(value);
	}
	if (value instanceof Date) return JSON.stringify(value.toISOString());
	if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
}

/** The hash of the first receipt of a chain points to this. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a receipt's hash covers: every fiscal field, no personal data (the operator is a user id). */
export interface ReceiptPayload {
	placeId: string;
	series: string;
	training: boolean;
	number: number;
	kind: 'sale' | 'correction';
	correctsId: string | null;
	issuedAt: Date | string;
	till: string;
	operatorRef: string | null;
	lines: readonly ReceiptLine[];
	totals: readonly RateTotal[];
	payments: readonly ReceiptPayment[];
	totalCents: number;
}

/** The fields of a receipt row that its hash covers, as a canonical object. */
export function receiptPayload(r: ReceiptPayload): Record<string, unknown> {
	return {
		placeId: r.placeId,
		series: r.series,
		training: r.training,
		number: r.number,
		kind: r.kind,
		correctsId: r.correctsId,
		issuedAt: typeof r.issuedAt === 'string' ? new Date(r.issuedAt).toISOString() : r.issuedAt.toISOString(),
		till: r.till,
		operatorRef: r.operatorRef,
		lines: r.lines,
		totals: r.totals,
		payments: r.payments,
		totalCents: r.totalCents
	};
}

/** hash = SHA-256 hex of (previous hash + canonical JSON of the payload). */
export function receiptHash(previousHash: string, r: ReceiptPayload): string {
	return crypto.createHash('sha256').update(previousHash + canonicalJson(receiptPayload(r))).digest('hex');
}

/** The negative lines of a correction cancelling a receipt (same rates, amounts of opposite sign). */
export function negateLines(lines: readonly ReceiptLine[]): ReceiptLine[] {
	return lines.map((l) => ({ ...l, quantity: -l.quantity, totalCents: -l.totalCents, htCents: -l.htCents, vatCents: -l.vatCents }));
}

/** Adds up payments per method (corrections count negative), in the order of PAYMENT_METHODS. */
export function sumPayments(list: ReadonlyArray<readonly ReceiptPayment[]>): Array<{ method: PaymentMethod; amountCents: number }> {
	const order: PaymentMethod[] = ['cash', 'card', 'cheque', 'transfer', 'online', 'wallet'];
	const by = new Map<PaymentMethod, number>();
	for (const payments of list) for (const p of payments) by.set(p.method, (by.get(p.method) ?? 0) + p.amountCents);
	return order.filter((m) => by.has(m)).map((m) => ({ method: m, amountCents: by.get(m)! }));
}

/** What a closure's hash covers. */
export interface ClosurePayload {
	placeId: string;
	kind: string;
	number: number;
	periodStart: string;
	periodEnd: string;
	closedAt: Date | string;
	operatorRef: string | null;
	receiptCount: number;
	firstReceiptNumber: number | null;
	lastReceiptNumber: number | null;
	totals: readonly RateTotal[];
	payments: ReadonlyArray<{ method: PaymentMethod; amountCents: number }>;
	totalCents: number;
	perpetualTotalCents: number;
}

/** hash = SHA-256 hex of (previous closure's hash + canonical JSON of the closure). */
export function closureHash(previousHash: string, c: ClosurePayload): string {
	const payload = {
		placeId: c.placeId,
		kind: c.kind,
		number: c.number,
		periodStart: c.periodStart,
		periodEnd: c.periodEnd,
		closedAt: typeof c.closedAt === 'string' ? new Date(c.closedAt).toISOString() : c.closedAt.toISOString(),
		operatorRef: c.operatorRef,
		receiptCount: c.receiptCount,
		firstReceiptNumber: c.firstReceiptNumber,
		lastReceiptNumber: c.lastReceiptNumber,
		totals: c.totals,
		payments: c.payments,
		totalCents: c.totalCents,
		perpetualTotalCents: c.perpetualTotalCents
	};
	return crypto.createHash('sha256').update(previousHash + canonicalJson(payload)).digest('hex');
}

/**
 * Reads an amount in euros as typed by a person ("12", "12,5", "12,50", "12.50", "1 250,00 €") into integer
 * cents. Undefined for an empty field, null for anything else that is not such an amount (negative, more than
 * two decimals, letters).
 */
export function parseEurosToCents(input: string | null | undefined): number | undefined | null {
	const s = (input ?? '').replace(/[\s\u00a0\u202f€]/g, '');
	if (s === '') return undefined;
	const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s);
	if (!m) return null;
	return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Integer cents as the euros a person would type back into a field ("12,50"; "12.50" in English). */
export function centsToEurosInput(cents: number | undefined | null, decimal: ',' | '.' = ','): string {
	if (cents === undefined || cents === null) return '';
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(cents);
	return `${sign}${Math.floor(abs / 100)}${decimal}${String(abs % 100).padStart(2, '0')}`;
}
