// Closures (Z reports) of the till journal: day, month and year. Each has the totals per VAT rate and
// payment method of its period, its receipt count and the perpetual grand total; each kind is its own
// hash chain with gap-free numbers per place. Rules and their reasons: docs/decisions/007-closures.md.
import { and, asc, desc, eq, gt, gte, lte } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../server/db/client';
import { closure, journalSequence, place, receipt } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { can, requireMember, requirePermission, type PlaceScope } from '../places/policy';
import { addDays, wallClock, zonedTimeToUtc } from '../places/time';
import { closureHash, GENESIS_HASH, sumPayments, sumRateTotals } from './rules';
import type { ClosureKind, RateTotal, ReceiptPayment } from './schema';

export type Closure = typeof closure.$inferSelect;
const PAGE = 5000;

// ---- calendar helpers (YYYY-MM-DD and YYYY-MM, no time zone involved) ----

export const monthOf = (date: string) => date.slice(0, 7);
export const firstOfMonth = (month: string) => `${month}-01`;
export function nextMonth(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
export const lastOfMonth = (month: string) => addDays(firstOfMonth(nextMonth(month)), -1);
const maxDate = (a: string, b: string) => (a > b ? a : b);

const DATE_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR_RE = /^\d{4}$/;

function parseDate(raw: unknown): string | undefined {
	if (typeof raw !== 'string') return undefined;
	const s = raw.trim();
	// why: "2026-02-30" matches the pattern but is no day; a real date survives the round trip.
	return DATE_RE.test(s) && s >= '2000-01-01' && addDays(s, 0) === s ? s : undefined;
}
function parseMonth(raw: unknown): string | undefined {
	if (typeof raw !== 'string') return undefined;
	const s = raw.trim();
	return MONTH_RE.test(s) && s >= '2000-01' ? s : undefined;
}
function parseYear(raw: unknown): string | undefined {
	if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
	const s = String(raw).trim();
	return YEAR_RE.test(s) && s >= '2000' ? s : undefined;
}

// ---- shared writing ----

/** Serialises every closure of a place (and, for days, the sales: they lock the same sequence row). */
async function lockPlace(tx: Tx, placeId: string, withSales: boolean) {
	await tx.select({ id: place.id }).from(place).where(eq(place.id, placeId)).for('no key update');
	if (withSales)
		await tx
			.select({ n: journalSequence.lastNumber })
			.from(journalSequence)
			.where(and(eq(journalSequence.placeId, placeId), eq(journalSequence.series, 'main'), eq(journalSequence.training, false)))
			.for('update');
}

async function lastOf(tx: DbOrTx, placeId: string, kind: ClosureKind): Promise<Closure | undefined> {
	const [prev] = await tx.select().from(closure).where(and(eq(closure.placeId, placeId), eq(closure.kind, kind))).orderBy(desc(closure.number)).limit(1);
	return prev;
}

interface Sums {
	periodStart: string;
	periodEnd: string;
	receiptCount: number;
	firstReceiptNumber: number | null;
	lastReceiptNumber: number | null;
	totals: RateTotal[];
	payments: Array<{ method: ReceiptPayment['method']; amountCents: number }>;
	totalCents: number;
}

/** Appends one closure to its kind's chain (number, perpetual total, hash) with its audit entry. */
async function appendClosure(tx: Tx, scope: PlaceScope, kind: ClosureKind, prev: Closure | undefined, s: Sums, now: Date, data: Record<string, unknown> = {}): Promise<Closure> {
	const row = {
		id: newId(),
		placeId: scope.placeId,
		kind,
		number: (prev?.number ?? 0) + 1,
		...s,
		closedAt: new Date(now.getTime()),
		operatorRef: scope.userId,
		perpetualTotalCents: (prev?.perpetualTotalCents ?? 0) + s.totalCents,
		previousHash: prev?.hash ?? GENESIS_HASH
	};
	const [inserted] = await tx
		.insert(closure)
		.values({ ...row, hash: closureHash(row.previousHash, row) })
		.returning();
	await audit(tx, {
		placeId: scope.placeId,
		actorId: scope.userId,
		action: 'money.closure',
		targetType: 'closure',
		targetId: inserted.id,
		data: { kind, periodStart: s.periodStart, periodEnd: s.periodEnd, number: inserted.number, totalCents: s.totalCents, ...data }
	});
	return inserted;
}

/** Adds up closures (of the kind below) into the sums of the closure above them. */
function sumClosures(rows: readonly Closure[], periodStart: string, periodEnd: string): Sums {
	const withReceipts = rows.filter((r) => r.receiptCount > 0);
	return {
		periodStart,
		periodEnd,
		receiptCount: rows.reduce((n, r) => n + r.receiptCount, 0),
		firstReceiptNumber: withReceipts.length ? Math.min(...withReceipts.map((r) => r.firstReceiptNumber!)) : null,
		lastReceiptNumber: withReceipts.length ? Math.max(...withReceipts.map((r) => r.lastReceiptNumber!)) : null,
		totals: sumRateTotals(rows.map((r) => r.totals)),
		payments: sumPayments(rows.map((r) => r.payments)),
		totalCents: rows.reduce((n, r) => n + r.totalCents, 0)
	};
}

// ---- day ----

/** The first real receipt of the main series after `afterNumber` (not yet in any day closure). */
async function firstPending(tx: DbOrTx, placeId: string, afterNumber: number) {
	const [r] = await tx
		.select({ number: receipt.number, issuedAt: receipt.issuedAt })
		.from(receipt)
		.where(and(eq(receipt.placeId, placeId), eq(receipt.series, 'main'), eq(receipt.training, false), gt(receipt.number, afterNumber)))
		.orderBy(asc(receipt.number))
		.limit(1);
	return r;
}

/**
 * The receipts a day closure takes: the real receipts of the main series after the previous closure's
 * last one, in number order, up to the first one issued at or after `cutoff` (so each closure covers an
 * unbroken range of numbers and each receipt is in exactly one closure).
 */
async function pendingSums(tx: Tx, placeId: string, after: number, cutoff: Date) {
	const totals: RateTotal[][] = [];
	const payments: ReceiptPayment[][] = [];
	let totalCents = 0;
	let count = 0;
	let first: number | null = null;
	let last = after;
	let firstIssued: Date | null = null;
	outer: for (;;) {
		const page = await tx
			.select({ number: receipt.number, issuedAt: receipt.issuedAt, totals: receipt.totals, payments: receipt.payments, totalCents: receipt.totalCents })
			.from(receipt)
			.where(and(eq(receipt.placeId, placeId), eq(receipt.series, 'main'), eq(receipt.training, false), gt(receipt.number, last)))
			.orderBy(asc(receipt.number))
			.limit(PAGE);
		for (const r of page) {
			if (r.issuedAt.getTime() >= cutoff.getTime()) break outer;
			totals.push(r.totals);
			payments.push(r.payments);
			totalCents += r.totalCents;
			first ??= r.number;
			firstIssued ??= r.issuedAt;
			last = r.number;
			count++;
		}
		if (page.length < PAGE) break;
	}
	return {
		firstIssued,
		sums: {
			receiptCount: count,
			firstReceiptNumber: first,
			// why: an empty closure keeps the previous last number, so the next one knows where it starts.
			lastReceiptNumber: count ? last : after || null,
			totals: sumRateTotals(totals),
			payments: sumPayments(payments),
			totalCents
		}
	};
}

/**
 * Closes a day (cafe.sell): today (the till closes at the end of service) or a past day. The closure covers
 * the real receipts not yet closed issued before the closure instant (today) or the end of that day (past
 * day, place's zone); receipts issued later that day go into the next day closure. A day already closed
 * may be closed again only for receipts issued after its closure. A day closure never mixes two months:
 * receipts of an earlier month still open are first closed automatically, in a closure ending on that
 * month's last day. Two people closing at once get one closure and a refusal.
 */
export async function closeDay(db: Db, scope: PlaceScope, raw: { date: unknown }, opts: { now?: Date } = {}): Promise<Closure> {
	requirePermission(scope, 'cafe.sell');
	const date = parseDate(raw.date);
	if (!date) throw new AppError('invalid_input', { fields: { date: 'field.invalid' } });
	const now = opts.now ?? new Date();
	const tz = scope.timezone;
	if (date > wallClock(now, tz).date) throw new AppError('invalid_input', { fields: { date: 'money.day_not_over' } });
	const endOfDay = zonedTimeToUtc(addDays(date, 1), '00:00', tz);
	const cutoff = endOfDay.getTime() < now.getTime() ? endOfDay : now;
	const month = monthOf(date);
	const monthStart = zonedTimeToUtc(firstOfMonth(month), '00:00', tz);
	return db.transaction(async (tx) => {
		await lockPlace(tx, scope.placeId, true);
		let prev = await lastOf(tx, scope.placeId, 'day');
		if (prev && prev.periodEnd > date) throw new AppError('invalid_input', { fields: { date: 'money.day_closed' } });
		// Receipts of earlier months still open: one closure per month, ending on its last day.
		for (;;) {
			const first = await firstPending(tx, scope.placeId, prev?.lastReceiptNumber ?? 0);
			if (!first || first.issuedAt.getTime() >= monthStart.getTime()) break;
			const m = monthOf(wallClock(first.issuedAt, tz).date);
			const end = lastOfMonth(m);
			if (prev && prev.periodEnd > end) break; // a receipt committed across midnight: it stays with the day closed now
			const { sums } = await pendingSums(tx, scope.placeId, prev?.lastReceiptNumber ?? 0, zonedTimeToUtc(firstOfMonth(nextMonth(m)), '00:00', tz));
			const periodStart = prev ? (prev.periodEnd >= end ? end : maxDate(addDays(prev.periodEnd, 1), firstOfMonth(m))) : wallClock(first.issuedAt, tz).date;
			prev = await appendClosure(tx, scope, 'day', prev, { periodStart, periodEnd: end, ...sums }, now, { automatic: true });
		}
		const { sums, firstIssued } = await pendingSums(tx, scope.placeId, prev?.lastReceiptNumber ?? 0, cutoff);
		if (prev && prev.periodEnd === date && sums.receiptCount === 0) throw new AppError('invalid_input', { fields: { date: 'money.day_closed' } });
		let periodStart: string;
		if (prev) periodStart = prev.periodEnd >= date ? date : maxDate(addDays(prev.periodEnd, 1), firstOfMonth(month));
		else periodStart = firstIssued ? maxDate(wallClock(firstIssued, tz).date, firstOfMonth(month)) : date;
		if (periodStart > date) periodStart = date;
		return appendClosure(tx, scope, 'day', prev, { periodStart, periodEnd: date, ...sums }, now, { date });
	});
}

// ---- month and year ----

/**
 * Closes a calendar month (money.manage): the sum of the day closures ending in that month. The month
 * must be over, its last day closed (no receipt of the month left outside a day closure), and months are
 * closed in order from the first month of the journal. Two people closing at once get one closure.
 */
export async function closeMonth(db: Db, scope: PlaceScope, raw: { month: unknown }, opts: { now?: Date } = {}): Promise<Closure> {
	requirePermission(scope, 'money.manage');
	const month = parseMonth(raw.month);
	const bad = (key: string) => new AppError('invalid_input', { fields: { month: key } });
	if (!month) throw bad('field.invalid');
	const now = opts.now ?? new Date();
	const tz = scope.timezone;
	const start = firstOfMonth(month);
	const end = lastOfMonth(month);
	if (addDays(end, 1) > wallClock(now, tz).date) throw bad('money.month_not_over');
	return db.transaction(async (tx) => {
		await lockPlace(tx, scope.placeId, false);
		const prev = await lastOf(tx, scope.placeId, 'month');
		if (prev && prev.periodStart >= start) throw bad('money.month_closed');
		const [firstDay] = await tx.select().from(closure).where(and(eq(closure.placeId, scope.placeId), eq(closure.kind, 'day'))).orderBy(asc(closure.number)).limit(1);
		if (!firstDay) throw bad('money.month_no_day');
		const required = prev ? nextMonth(monthOf(prev.periodStart)) : monthOf(firstDay.periodEnd);
		if (month > required) throw bad('money.month_earlier_open');
		if (month < required) throw bad('money.month_before_journal');
		const lastDay = await lastOf(tx, scope.placeId, 'day');
		if (!lastDay || lastDay.periodEnd < end) throw bad('money.month_last_day_open');
		const days = await tx
			.select()
			.from(closure)
			.where(and(eq(closure.placeId, scope.placeId), eq(closure.kind, 'day'), gte(closure.periodEnd, start), lte(closure.periodEnd, end)))
			.orderBy(asc(closure.number));
		// Receipts of the month issued after the last day closure of the month: that day must be closed again.
		const [upTo] = await tx
			.select({ last: closure.lastReceiptNumber })
			.from(closure)
			.where(and(eq(closure.placeId, scope.placeId), eq(closure.kind, 'day'), lte(closure.periodEnd, end)))
			.orderBy(desc(closure.number))
			.limit(1);
		const pending = await firstPending(tx, scope.placeId, upTo?.last ?? 0);
		if (pending && pending.issuedAt.getTime() < zonedTimeToUtc(firstOfMonth(nextMonth(month)), '00:00', tz).getTime()) throw bad('money.month_pending');
		return appendClosure(tx, scope, 'month', prev, sumClosures(days, start, end), now, { days: days.length });
	});
}

/**
 * Closes a calendar year (money.manage): the sum of its month closures. The year must be over, its
 * December closed, and years are closed in order.
 */
export async function closeYear(db: Db, scope: PlaceScope, raw: { year: unknown }, opts: { now?: Date } = {}): Promise<Closure> {
	requirePermission(scope, 'money.manage');
	const year = parseYear(raw.year);
	const bad = (key: string) => new AppError('invalid_input', { fields: { year: key } });
	if (!year) throw bad('field.invalid');
	const now = opts.now ?? new Date();
	const start = `${year}-01-01`;
	const end = `${year}-12-31`;
	if (addDays(end, 1) > wallClock(now, scope.timezone).date) throw bad('money.year_not_over');
	return db.transaction(async (tx) => {
		await lockPlace(tx, scope.placeId, false);
		const prev = await lastOf(tx, scope.placeId, 'year');
		if (prev && prev.periodStart >= start) throw bad('money.year_closed');
		const [firstMonth] = await tx.select().from(closure).where(and(eq(closure.placeId, scope.placeId), eq(closure.kind, 'month'))).orderBy(asc(closure.number)).limit(1);
		if (!firstMonth) throw bad('money.year_no_month');
		const required = prev ? String(Number(prev.periodStart.slice(0, 4)) + 1) : firstMonth.periodStart.slice(0, 4);
		if (year > required) throw bad('money.year_earlier_open');
		if (year < required) throw bad('money.year_before_journal');
		const lastMonth = await lastOf(tx, scope.placeId, 'month');
		if (!lastMonth || lastMonth.periodStart < `${year}-12-01`) throw bad('money.year_december_open');
		const months = await tx
			.select()
			.from(closure)
			.where(and(eq(closure.placeId, scope.placeId), eq(closure.kind, 'month'), gte(closure.periodStart, start), lte(closure.periodStart, end)))
			.orderBy(asc(closure.number));
		return appendClosure(tx, scope, 'year', prev, sumClosures(months, start, end), now, { months: months.length });
	});
}

// ---- reads ----

/** Anyone who closes the day (cafe.sell) or reads the money (money.view) may read closures. */
function requireClosureReader(scope: PlaceScope) {
	requireMember(scope);
	if (!can(scope, 'money.view') && !can(scope, 'cafe.sell')) throw new AppError('forbidden', { detail: 'missing money.view' });
}

/** The closures of a kind, newest first (at most `limit`). */
export async function listClosures(db: DbOrTx, scope: PlaceScope, kind: ClosureKind, limit = 100): Promise<Closure[]> {
	requireClosureReader(scope);
	return db
		.select()
		.from(closure)
		.where(and(eq(closure.placeId, scope.placeId), eq(closure.kind, kind)))
		.orderBy(desc(closure.number))
		.limit(limit);
}

/** One closure of the place (not_found for an unknown id or another place's closure). */
export async function getClosure(db: DbOrTx, scope: PlaceScope, id: string): Promise<Closure> {
	requireClosureReader(scope);
	const [c] = typeof id === 'string' && id.length <= 64 ? await db.select().from(closure).where(and(eq(closure.placeId, scope.placeId), eq(closure.id, id))).limit(1) : [];
	if (!c) throw new AppError('not_found');
	return c;
}

/** The closures a closure sums: the day closures of a month; the month and day closures of a year. */
export async function closureParts(db: DbOrTx, scope: PlaceScope, c: Closure): Promise<Closure[]> {
	requireClosureReader(scope);
	if (c.kind === 'day') return [];
	const inPeriod = (kind: ClosureKind, col: typeof closure.periodEnd | typeof closure.periodStart) =>
		db
			.select()
			.from(closure)
			.where(and(eq(closure.placeId, scope.placeId), eq(closure.kind, kind), gte(col, c.periodStart), lte(col, c.periodEnd)))
			.orderBy(asc(closure.number));
	if (c.kind === 'month') return inPeriod('day', closure.periodEnd);
	return [...(await inPeriod('month', closure.periodStart)), ...(await inPeriod('day', closure.periodEnd))];
}

/** The latest closure of each kind (what the journal page proposes to close next). */
export async function lastClosures(db: DbOrTx, scope: PlaceScope): Promise<Partial<Record<ClosureKind, Closure>>> {
	requireClosureReader(scope);
	const out: Partial<Record<ClosureKind, Closure>> = {};
	for (const k of ['day', 'month', 'year'] as const) {
		const c = await lastOf(db, scope.placeId, k);
		if (c) out[k] = c;
	}
	return out;
}

// ---- verification ----

export type ClosureBrokenReason = 'missing' | 'previous_hash' | 'hash';

export interface ClosuresReport {
	ok: boolean;
	/** Closures checked per kind (all of them when ok). */
	checked: Record<ClosureKind, number>;
	firstBroken?: { kind: ClosureKind; number: number; reason: ClosureBrokenReason };
}

/** Re-checks the three closure chains of a place (day, month, year): numbers 1..n, previous hashes and hashes. */
export async function verifyClosures(db: DbOrTx, placeId: string): Promise<ClosuresReport> {
	const checked: Record<ClosureKind, number> = { day: 0, month: 0, year: 0 };
	for (const kind of ['day', 'month', 'year'] as const) {
		let previous = GENESIS_HASH;
		let expected = 1;
		for (;;) {
			const page = await db
				.select()
				.from(closure)
				.where(and(eq(closure.placeId, placeId), eq(closure.kind, kind), gt(closure.number, expected - 1)))
				.orderBy(asc(closure.number))
				.limit(PAGE);
			for (const c of page) {
				const broken = (number: number, reason: ClosureBrokenReason): ClosuresReport => ({ ok: false, checked, firstBroken: { kind, number, reason } });
				if (c.number !== expected) return broken(expected, 'missing');
				if (c.previousHash !== previous) return broken(c.number, 'previous_hash');
				if (closureHash(c.previousHash, c) !== c.hash) return broken(c.number, 'hash');
				previous = c.hash;
				expected++;
				checked[kind]++;
			}
			if (page.length < PAGE) break;
		}
	}
	return { ok: true, checked };
}
