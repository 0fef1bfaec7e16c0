// Invoices and credit notes: settings, issuing with gap-free numbers, credit notes that never exceed what
// remains, payments, and the reads. One transaction per use case, audit entry in the same transaction.
// Decision 010.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../server/db/client';
import { invoice, invoicePayment, invoiceSequence, invoiceSettings, place } from '../../server/db/schema';
import { AppError, pgErrorCode } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { can, requirePermission, type PlaceScope } from '../places/policy';
import { wallClock } from '../places/time';
import type { InvoiceKind, InvoiceLine, InvoiceSeller } from './invoice-schema';
import {
	buildInvoiceLine,
	COOPERATIVE_FORMS,
	creditNoteInput,
	dueDateOf,
	invoiceInput,
	invoicePaymentInput,
	invoiceReference,
	invoiceSettingsInput,
	invoiceTotals,
	MAX_TOTAL_CENTS,
	remainingQuantities,
	toMilli,
	type CreditNoteInput,
	type InvoiceInput,
	type InvoicePaymentInput,
	type InvoiceSettingsInput
} from './invoice-rules';

export type Invoice = typeof invoice.$inferSelect;
export type InvoiceSettings = typeof invoiceSettings.$inferSelect;
export type InvoicePayment = typeof invoicePayment.$inferSelect;

/** Operations up to this amount excluding VAT may leave out the seller's VAT number (§2.2 item 4). */
const VAT_NUMBER_THRESHOLD_CENTS = 15_000;

function requireView(scope: PlaceScope): void {
	if (!can(scope, 'money.manage')) requirePermission(scope, 'money.view');
}

/** The place's invoicing terms (defaults when never saved: VAT charged, 30 days, 10 % penalty rate). */
export async function getInvoiceSettings(db: DbOrTx, scope: PlaceScope): Promise<InvoiceSettings> {
	requireView(scope);
	return settingsOf(db, scope.placeId);
}

async function settingsOf(db: DbOrTx, placeId: string): Promise<InvoiceSettings> {
	const [row] = await db.select().from(invoiceSettings).where(eq(invoiceSettings.placeId, placeId));
	if (row) return row;
	const [p] = await db.select({ legalForm: place.legalForm }).from(place).where(eq(place.id, placeId));
	return {
		placeId,
		vatRegime: 'normal',
		vatOnDebits: false,
		shareCapitalCents: null,
		variableCapital: COOPERATIVE_FORMS.includes(p?.legalForm ?? ''),
		registration: '',
		iban: '',
		bic: '',
		paymentTermsDays: 30,
		latePenaltyRateBp: 1000,
		footer: '',
		updatedAt: new Date(0)
	};
}

/** Saves the invoicing terms (money.manage or place.settings); they apply to invoices issued from now on. */
export async function updateInvoiceSettings(db: Db, scope: PlaceScope, raw: InvoiceSettingsInput): Promise<InvoiceSettings> {
	if (!can(scope, 'place.settings')) requirePermission(scope, 'money.manage');
	const input = parseInput(invoiceSettingsInput, raw);
	return db.transaction(async (tx) => {
		const values = { ...input, updatedAt: new Date() };
		const [row] = await tx
			.insert(invoiceSettings)
			.values({ placeId: scope.placeId, ...values })
			.onConflictDoUpdate({ target: invoiceSettings.placeId, set: values })
			.returning();
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.invoice_settings', targetType: 'place', targetId: scope.placeId, data: { vatRegime: input.vatRegime, paymentTermsDays: input.paymentTermsDays } });
		return row;
	});
}

/** The seller as printed on an invoice issued now: the place's identity and its invoicing terms. */
async function sellerSnapshot(tx: DbOrTx, placeId: string): Promise<{ seller: InvoiceSeller; termsDays: number }> {
	const [p] = await tx.select().from(place).where(eq(place.id, placeId));
	const s = await settingsOf(tx, placeId);
	return {
		termsDays: s.paymentTermsDays,
		seller: {
			name: p.name,
			address: p.address,
			legalForm: p.legalForm,
			siret: p.siret ?? '',
			vatNumber: p.vatNumber ?? '',
			vatRegime: s.vatRegime,
			vatOnDebits: s.vatOnDebits,
			shareCapitalCents: s.shareCapitalCents,
			variableCapital: s.variableCapital,
			registration: s.registration,
			iban: s.iban,
			bic: s.bic,
			latePenaltyRateBp: s.latePenaltyRateBp,
			footer: s.footer
		}
	};
}

/**
 * Takes the next number of a place's sequence inside the caller's transaction: creates the row on first
 * use, then locks it (SELECT … FOR UPDATE) until the transaction ends, so numbers are continuous without
 * gaps under concurrency (a rolled-back issue gives its number back).
 */
async function nextNumber(tx: Tx, placeId: string, kind: InvoiceKind): Promise<number> {
	// why: every issuer of a place's series serialises on this one row; the unique index is the last line of defence.
	await tx.insert(invoiceSequence).values({ placeId, kind, lastNumber: 0 }).onConflictDoNothing();
	const [seq] = await tx
		.select()
		.from(invoiceSequence)
		.where(and(eq(invoiceSequence.placeId, placeId), eq(invoiceSequence.kind, kind)))
		.for('update');
	const number = seq.lastNumber + 1;
	await tx
		.update(invoiceSequence)
		.set({ lastNumber: number })
		.where(and(eq(invoiceSequence.placeId, placeId), eq(invoiceSequence.kind, kind)));
	return number;
}

/**
 * Issues an invoice (money.manage): the customer and lines as given, the seller as it is now, dated today
 * in the place's zone, due after the payment terms (or on the chosen date, at most 60 days later), with
 * the next number of the place's invoice series. The seller's SIRET is required, and its VAT number above
 * 150 EUR excluding VAT when the place charges VAT. `opts.now` (tests) sets the instant.
 */
export async function createInvoice(db: Db, scope: PlaceScope, raw: InvoiceInput, opts: { now?: Date } = {}): Promise<Invoice> {
	requirePermission(scope, 'money.manage');
	const input = parseInput(invoiceInput, raw);
	return db.transaction(async (tx) => {
		const { seller, termsDays } = await sellerSnapshot(tx, scope.placeId);
		const franchise = seller.vatRegime === 'franchise';
		const lines = input.lines.map((l) => buildInvoiceLine({ label: l.label, quantityMilli: toMilli(l.quantity), unitPriceCents: l.unitPriceCents, vat: franchise ? 'franchise' : l.vat }));
		const t = invoiceTotals(lines);
		if (t.ttcCents > MAX_TOTAL_CENTS) throw new AppError('invalid_input', { fields: { lines: 'invoice.total_too_large' } });
		if (!seller.siret || !seller.address) throw new AppError('invalid_input', { fields: { seller: 'invoice.seller_incomplete' } });
		if (!franchise && !seller.vatNumber && t.htCents > VAT_NUMBER_THRESHOLD_CENTS) throw new AppError('invalid_input', { fields: { seller: 'invoice.seller_vat_missing' } });
		const number = await nextNumber(tx, scope.placeId, 'invoice');
		// why: the date is read once the number is taken, so dates follow numbers.
		const issuedAt = new Date(opts.now ? opts.now.getTime() : Date.now());
		const issueDate = wallClock(issuedAt, scope.timezone).date;
		const dueDate = dueDateOf(issueDate, termsDays, input.dueDate);
		if (!dueDate) throw new AppError('invalid_input', { fields: { dueDate: 'invoice.due_date_range' } });
		const [row] = await tx
			.insert(invoice)
			.values({
				id: newId(),
				placeId: scope.placeId,
				kind: 'invoice',
				number,
				reference: invoiceReference('invoice', issueDate, number),
				issuedAt,
				issueDate,
				supplyDate: input.supplyDate && input.supplyDate !== issueDate ? input.supplyDate : null,
				dueDate,
				creditedInvoiceId: null,
				customer: input.customer,
				seller,
				lines,
				totals: t.totals,
				totalHtCents: t.htCents,
				totalVatCents: t.vatCents,
				totalTtcCents: t.ttcCents,
				note: input.note,
				createdBy: scope.userId
			})
			.returning();
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.invoice', targetType: 'invoice', targetId: row.id, data: { reference: row.reference, totalTtcCents: row.totalTtcCents } });
		return row;
	});
}

/**
 * Issues a credit note (money.manage) on an invoice, for all or part of its lines (quantities per line, at
 * the invoice's prices and rates), numbered in the place's credit-note series. Under the series lock, the
 * earlier credit notes of the invoice are read again: no line can be credited beyond its quantity and the
 * credit notes never add up to more than the invoice's total.
 */
export async function issueCreditNote(db: Db, scope: PlaceScope, raw: CreditNoteInput, opts: { now?: Date } = {}): Promise<Invoice> {
	requirePermission(scope, 'money.manage');
	const input = parseInput(creditNoteInput, raw);
	return db.transaction(async (tx) => {
		const [orig] = await tx
			.select()
			.from(invoice)
			.where(and(eq(invoice.placeId, scope.placeId), eq(invoice.id, input.invoiceId)));
		if (!orig) throw new AppError('not_found', { detail: 'invoice' });
		if (orig.kind !== 'invoice') throw new AppError('invalid_input', { fields: { invoiceId: 'invoice.not_an_invoice' } });
		const fields: Record<string, string> = {};
		const seen = new Set<number>();
		for (const [i, l] of input.lines.entries()) {
			if (l.sourceLine >= orig.lines.length || seen.has(l.sourceLine)) fields[`lines.${i}.quantity`] = 'field.invalid';
			seen.add(l.sourceLine);
		}
		if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
		const wanted = input.lines.filter((l) => toMilli(l.quantity) > 0);
		if (!wanted.length) throw new AppError('invalid_input', { fields: { lines: 'invoice.credit_empty' } });

		const number = await nextNumber(tx, scope.placeId, 'credit_note');
		// why: read under the credit-note series lock, so two credit notes issued at once both see each other.
		const earlier = await tx
			.select({ lines: invoice.lines, totalTtcCents: invoice.totalTtcCents })
			.from(invoice)
			.where(and(eq(invoice.placeId, scope.placeId), eq(invoice.creditedInvoiceId, orig.id)));
		const left = remainingQuantities(orig.lines, earlier);
		for (const [i, l] of input.lines.entries()) if (toMilli(l.quantity) > left[l.sourceLine]) fields[`lines.${i}.quantity`] = 'invoice.credit_exceeds_line';
		if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
		const lines: InvoiceLine[] = wanted.map((l) => {
			const src = orig.lines[l.sourceLine];
			return buildInvoiceLine({ label: src.label, quantityMilli: toMilli(l.quantity), unitPriceCents: src.unitPriceCents, vat: src.vat, sourceLine: l.sourceLine });
		});
		const t = invoiceTotals(lines);
		const creditedSoFar = earlier.reduce((s, c) => s + c.totalTtcCents, 0);
		if (creditedSoFar + t.ttcCents > orig.totalTtcCents) throw new AppError('invalid_input', { fields: { lines: 'invoice.credit_exceeds_total' } });

		const issuedAt = new Date(opts.now ? opts.now.getTime() : Date.now());
		const issueDate = wallClock(issuedAt, scope.timezone).date;
		const [row] = await tx
			.insert(invoice)
			.values({
				id: newId(),
				placeId: scope.placeId,
				kind: 'credit_note',
				number,
				reference: invoiceReference('credit_note', issueDate, number),
				issuedAt,
				issueDate,
				supplyDate: null,
				dueDate: issueDate,
				creditedInvoiceId: orig.id,
				customer: orig.customer,
				seller: orig.seller,
				lines,
				totals: t.totals,
				totalHtCents: t.htCents,
				totalVatCents: t.vatCents,
				totalTtcCents: t.ttcCents,
				note: input.note,
				createdBy: scope.userId
			})
			.returning();
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.credit_note', targetType: 'invoice', targetId: row.id, data: { reference: row.reference, credits: orig.reference, totalTtcCents: row.totalTtcCents } });
		return row;
	});
}

/** Records that an invoice was paid (money.manage): what remains after its credit notes, once. */
export async function recordInvoicePayment(db: Db, scope: PlaceScope, raw: InvoicePaymentInput): Promise<InvoicePayment> {
	requirePermission(scope, 'money.manage');
	const input = parseInput(invoicePaymentInput, raw);
	return db.transaction(async (tx) => {
		const [orig] = await tx
			.select()
			.from(invoice)
			.where(and(eq(invoice.placeId, scope.placeId), eq(invoice.id, input.invoiceId)));
		if (!orig) throw new AppError('not_found', { detail: 'invoice' });
		if (orig.kind !== 'invoice') throw new AppError('invalid_input', { fields: { invoiceId: 'invoice.not_an_invoice' } });
		if (input.paidOn < orig.issueDate) throw new AppError('invalid_input', { fields: { paidOn: 'invoice.paid_before_issue' } });
		const credits = await tx.select({ ttc: invoice.totalTtcCents }).from(invoice).where(and(eq(invoice.placeId, scope.placeId), eq(invoice.creditedInvoiceId, orig.id)));
		const amountCents = orig.totalTtcCents - credits.reduce((s, c) => s + c.ttc, 0);
		try {
			const [row] = await tx
				.insert(invoicePayment)
				.values({ id: newId(), placeId: scope.placeId, invoiceId: orig.id, paidOn: input.paidOn, method: input.method, amountCents, recordedBy: scope.userId })
				.returning();
			await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.invoice_paid', targetType: 'invoice', targetId: orig.id, data: { reference: orig.reference, amountCents, method: input.method } });
			return row;
		} catch (e) {
			if (pgErrorCode(e) === '23505') throw new AppError('conflict', { fields: { paidOn: 'invoice.already_paid' } });
			throw e;
		}
	});
}

export interface InvoiceSummary {
	id: string;
	kind: InvoiceKind;
	reference: string;
	customerName: string;
	issueDate: string;
	dueDate: string;
	totalTtcCents: number;
	creditedCents: number;
	paidOn: string | null;
	creditedReference: string | null;
}

/** Largest number of documents one listing returns. */
export const INVOICES_LIMIT = 500;

/** The place's invoices and credit notes (money.view), newest first, with paid and credited amounts. */
export async function listInvoices(db: DbOrTx, scope: PlaceScope): Promise<InvoiceSummary[]> {
	requireView(scope);
	const rows = await db
		.select({
			id: invoice.id,
			kind: invoice.kind,
			reference: invoice.reference,
			customer: invoice.customer,
			issueDate: invoice.issueDate,
			dueDate: invoice.dueDate,
			totalTtcCents: invoice.totalTtcCents,
			creditedInvoiceId: invoice.creditedInvoiceId
		})
		.from(invoice)
		.where(eq(invoice.placeId, scope.placeId))
		.orderBy(desc(invoice.issuedAt), desc(invoice.number))
		.limit(INVOICES_LIMIT);
	const ids = rows.map((r) => r.id);
	const payments = ids.length ? await db.select({ invoiceId: invoicePayment.invoiceId, paidOn: invoicePayment.paidOn }).from(invoicePayment).where(and(eq(invoicePayment.placeId, scope.placeId), inArray(invoicePayment.invoiceId, ids))) : [];
	const creditRows = ids.length
		? await db
				.select({ creditedInvoiceId: invoice.creditedInvoiceId, ttc: invoice.totalTtcCents })
				.from(invoice)
				.where(and(eq(invoice.placeId, scope.placeId), inArray(invoice.creditedInvoiceId, ids)))
		: [];
	const refOf = new Map(rows.map((r) => [r.id, r.reference]));
	return rows.map((r) => ({
		id: r.id,
		kind: r.kind,
		reference: r.reference,
		customerName: r.customer.name,
		issueDate: r.issueDate,
		dueDate: r.dueDate,
		totalTtcCents: r.totalTtcCents,
		creditedCents: creditRows.filter((c) => c.creditedInvoiceId === r.id).reduce((s, c) => s + c.ttc, 0),
		paidOn: payments.find((p) => p.invoiceId === r.id)?.paidOn ?? null,
		creditedReference: r.creditedInvoiceId ? (refOf.get(r.creditedInvoiceId) ?? null) : null
	}));
}

export interface InvoiceDetail {
	invoice: Invoice;
	/** For a credit note: the invoice it credits. */
	credited: Pick<Invoice, 'id' | 'reference' | 'issueDate'> | null;
	/** For an invoice: its credit notes, oldest first. */
	creditNotes: Array<Pick<Invoice, 'id' | 'reference' | 'issueDate' | 'totalTtcCents' | 'lines'>>;
	payment: InvoicePayment | null;
	/** TTC still due: total − credit notes (0 once paid). */
	remainingCents: number;
	/** Per line: the quantity (thousandths) that can still be credited. */
	creditableMilli: number[];
}

/** One invoice or credit note of the place (money.view), with what refers to it; not_found otherwise. */
export async function getInvoice(db: DbOrTx, scope: PlaceScope, id: string): Promise<InvoiceDetail> {
	requireView(scope);
	if (typeof id !== 'string' || id.length > 64) throw new AppError('not_found', { detail: 'invoice' });
	const [row] = await db
		.select()
		.from(invoice)
		.where(and(eq(invoice.placeId, scope.placeId), eq(invoice.id, id)));
	if (!row) throw new AppError('not_found', { detail: 'invoice' });
	const credited = row.creditedInvoiceId
		? ((
				await db
					.select({ id: invoice.id, reference: invoice.reference, issueDate: invoice.issueDate })
					.from(invoice)
					.where(and(eq(invoice.placeId, scope.placeId), eq(invoice.id, row.creditedInvoiceId)))
			)[0] ?? null)
		: null;
	const creditNotes =
		row.kind === 'invoice'
			? await db
					.select({ id: invoice.id, reference: invoice.reference, issueDate: invoice.issueDate, totalTtcCents: invoice.totalTtcCents, lines: invoice.lines })
					.from(invoice)
					.where(and(eq(invoice.placeId, scope.placeId), eq(invoice.creditedInvoiceId, row.id)))
					.orderBy(asc(invoice.number))
			: [];
	const [payment] = await db
		.select()
		.from(invoicePayment)
		.where(and(eq(invoicePayment.placeId, scope.placeId), eq(invoicePayment.invoiceId, row.id)));
	const credit = creditNotes.reduce((s, c) => s + c.totalTtcCents, 0);
	return {
		invoice: row,
		credited,
		creditNotes,
		payment: payment ?? null,
		remainingCents: row.kind === 'invoice' && !payment ? row.totalTtcCents - credit : 0,
		creditableMilli: row.kind === 'invoice' ? remainingQuantities(row.lines, creditNotes) : []
	};
}
