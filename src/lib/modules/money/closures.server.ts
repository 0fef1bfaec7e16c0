// Daily closures (Z reports) of the till journal: totals per VAT rate and payment method of the real
// receipts not yet closed, up to the end of the day closed, and the perpetual grand total; chained.
import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../server/db/client';
import { closure, receipt } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { requirePermission, type PlaceScope } from '../places/policy';
import { addDays, wallClock, zonedTimeToUtc } from '../places/time';
import { closureHash, GENESIS_HASH, sumPayments, sumRateTotals } from './rules';
import type { RateTotal, ReceiptPayment } from './schema';

export type Closure = typeof closure.$inferSelect;
const PAGE = 5000;

/**
 * Closes a day (cafe.sell): the closure covers every real receipt of the main series after the previous
 * closure's last one and issued before the end of that day (place's zone), so each receipt is in exactly one
 * closure. The day must be over and later than the last closed day. Two people closing at once get one
 * closure and a conflict (unique number and period).
 */
export async function closeDay(db: Db, scope: PlaceScope, raw: { date: unknown }, opts: { now?: Date } = {}): Promise<Closure> {
	requirePermission(scope, 'cafe.sell');
	const date = typeof raw.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw.date) && !Number.isNaN(Date.parse(raw.date)) ? raw.date : undefined;
	if (!date) throw new AppError('invalid_input', { fields: { date: 'field.invalid' } });
	const now = opts.now ?? new Date();
	if (date >= wallClock(now, scope.timezone).date) throw new AppError('invalid_input', { fields: { date: 'money.day_not_over' } });
	return db.transaction(async (tx) => {
		const [prev] = await tx.select().from(closure).where(and(eq(closure.placeId, scope.placeId), eq(closure.kind, 'day'))).orderBy(desc(closure.number)).limit(1);
		if (prev && prev.periodEnd >= date) throw new AppError('invalid_input', { fields: { date: 'money.day_closed' } });
		const end = zonedTimeToUtc(addDays(date, 1), '00:00', scope.timezone);
		const totals: RateTotal[][] = [];
		const payments: ReceiptPayment[][] = [];
		let totalCents = 0;
		let count = 0;
		let first: number | null = null;
		let last = prev?.lastReceiptNumber ?? 0;
		const startAfter = last;
		for (;;) {
			const page = await tx
				.select({ number: receipt.number, totals: receipt.totals, payments: receipt.payments, totalCents: receipt.totalCents })
				.from(receipt)
				.where(and(eq(receipt.placeId, scope.placeId), eq(receipt.series, 'main'), eq(receipt.training, false), gt(receipt.number, last), lt(receipt.issuedAt, end)))
				.orderBy(asc(receipt.number))
				.limit(PAGE);
			for (const r of page) {
				totals.push(r.totals);
				payments.push(r.payments);
				totalCents += r.totalCents;
				first ??= r.number;
				last = r.number;
				count++;
			}
			if (page.length < PAGE) break;
		}
		const row = {
			id: newId(),
			placeId: scope.placeId,
			kind: 'day' as const,
			number: (prev?.number ?? 0) + 1,
			periodStart: prev ? addDays(prev.periodEnd, 1) : date,
			periodEnd: date,
			closedAt: new Date(now.getTime()),
			operatorRef: scope.userId,
			receiptCount: count,
			firstReceiptNumber: first,
			lastReceiptNumber: count ? last : startAfter || null,
			totals: sumRateTotals(totals),
			payments: sumPayments(payments),
			totalCents,
			perpetualTotalCents: (prev?.perpetualTotalCents ?? 0) + totalCents,
			previousHash: prev?.hash ?? GENESIS_HASH
		};
		const [inserted] = await tx
			.insert(closure)
			.values({ ...row, hash: closureHash(row.previousHash, row) })
			.returning();
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.closure', targetType: 'closure', targetId: inserted.id, data: { kind: 'day', date, number: inserted.number, totalCents } });
		return inserted;
	});
}

/** Re-checks the chain of closures of a place: numbers 1..n, previous hashes and hashes. */
export async function verifyClosures(db: Db, placeId: string): Promise<{ ok: boolean; checked: number; firstBroken?: { number: number; reason: 'missing' | 'previous_hash' | 'hash' } }> {
	const rows = await db.select().from(closure).where(and(eq(closure.placeId, placeId), eq(closure.kind, 'day'))).orderBy(asc(closure.number));
	let previous = GENESIS_HASH;
	let checked = 0;
	for (const [i, c] of rows.entries()) {
		if (c.number !== i + 1) return { ok: false, checked, firstBroken: { number: i + 1, reason: 'missing' } };
		if (c.previousHash !== previous) return { ok: false, checked, firstBroken: { number: c.number, reason: 'previous_hash' } };
		if (closureHash(c.previousHash, c) !== c.hash) return { ok: false, checked, firstBroken: { number: c.number, reason: 'hash' } };
		previous = c.hash;
		checked++;
	}
	return { ok: true, checked };
}
