// Closing the current day, month boundaries, monthly and annual closures: a month's totals are the sum of
// its day closures (and of its receipts), a year's the sum of its months; each real receipt is in exactly
// one day closure; closing at once gives one closure; altered closures of every kind are named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct, recordCorrection, recordSale } from './commands.server';
import { closeDay, closeMonth, closeYear, closureParts, verifyClosures, type Closure } from './closures.server';

let database: Database;
let admin: PlaceContext;
let staff: PlaceContext;
let plat: string;
let biere: string;

beforeAll(async () => {
	database = await freshDatabase();
	const ids = await database.db.transaction(async (tx) => {
		const pl = await createPlace(tx, { name: 'Café M', slug: 'cafe-m' }, null);
		const a = await createUserRecord(tx, { email: 'admin@periods.test', name: 'A', password: 'une phrase assez longue 42' });
		const s = await createUserRecord(tx, { email: 'staff@periods.test', name: 'S', password: 'une phrase assez longue 42' });
		await addMember(tx, pl.id, a.id, 'admin', null);
		await addMember(tx, pl.id, s.id, 'staff', null);
		return { a: a.id, s: s.id };
	});
	admin = await resolvePlace(database.db, 'cafe-m', { id: ids.a, isOperator: false });
	staff = await resolvePlace(database.db, 'cafe-m', { id: ids.s, isOperator: false });
	plat = (await createProduct(database.db, admin.scope, { name: 'Plat', activity: 'cafe', vatCategory: 'food', prices: { public: 1250 } })).id;
	biere = (await createProduct(database.db, admin.scope, { name: 'Bière', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450 } })).id;
});
afterAll(async () => {
	await database?.close();
});

const sell = (productId: string, quantity: number, method: 'cash' | 'card', iso: string, training = false) =>
	recordSale(database.db, staff.scope, { lines: [{ productId, quantity }], payments: [{ method }], training }, { now: new Date(iso) });
const at = (iso: string) => ({ now: new Date(iso) });
const fieldOf = (e: unknown) => (e instanceof AppError ? e.fields : e);

/** Independent SQL sums of the real receipts issued in [from, to). */
async function receiptSums(from: string, to: string) {
	const [r] = await database.query<{ n: number; total: number }>(
		`SELECT count(*)::int AS n, coalesce(sum(total_cents), 0)::int AS total FROM receipt WHERE place_id = $1 AND training = false AND issued_at >= $2 AND issued_at < $3`,
		[admin.scope.placeId, from, to]
	);
	return r;
}

function sumOf(rows: readonly Closure[]) {
	const rate = new Map<string, { ht: number; vat: number; ttc: number }>();
	const pay = new Map<string, number>();
	for (const r of rows) {
		for (const t of r.totals) {
			const k = `${t.outsideScope}${t.rateBp}`;
			const s = rate.get(k) ?? { ht: 0, vat: 0, ttc: 0 };
			rate.set(k, { ht: s.ht + t.htCents, vat: s.vat + t.vatCents, ttc: s.ttc + t.ttcCents });
		}
		for (const p of r.payments) pay.set(p.method, (pay.get(p.method) ?? 0) + p.amountCents);
	}
	return { count: rows.reduce((n, r) => n + r.receiptCount, 0), total: rows.reduce((n, r) => n + r.totalCents, 0), rate, pay };
}
const asMaps = (c: Closure) => sumOf([c]);

describe('closing the current day', () => {
	it('covers the sales up to the closure instant; later sales of the day go into the next closure', async () => {
		// 30 Jan 2026 (Paris = UTC+1): sales at 10:00 and 13:00, closed at 15:00, a sale at 19:00.
		await sell(plat, 2, 'cash', '2026-01-30T09:00:00Z');
		await sell(biere, 1, 'card', '2026-01-30T12:00:00Z');
		await sell(plat, 9, 'cash', '2026-01-30T12:30:00Z', true); // training: never counted
		const z1 = await closeDay(database.db, staff.scope, { date: '2026-01-30' }, at('2026-01-30T14:00:00Z'));
		expect(z1).toMatchObject({ kind: 'day', number: 1, periodStart: '2026-01-30', periodEnd: '2026-01-30', receiptCount: 2, firstReceiptNumber: 1, lastReceiptNumber: 2, totalCents: 2950 });
		await sell(plat, 1, 'card', '2026-01-30T18:00:00Z');
		// the same day again: only the sale made after the first closure
		const z2 = await closeDay(database.db, staff.scope, { date: '2026-01-30' }, at('2026-01-30T22:00:00Z'));
		expect(z2).toMatchObject({ number: 2, periodStart: '2026-01-30', periodEnd: '2026-01-30', receiptCount: 1, firstReceiptNumber: 3, lastReceiptNumber: 3, totalCents: 1250, perpetualTotalCents: 4200 });
		// nothing new: refused with a translated reason
		expect(fieldOf(await closeDay(database.db, staff.scope, { date: '2026-01-30' }, at('2026-01-30T22:30:00Z')).catch((x) => x))).toEqual({ date: 'money.day_closed' });
		// a sale late that evening goes into the next day's closure
		await sell(biere, 2, 'cash', '2026-01-30T22:45:00Z');
		await sell(biere, 1, 'cash', '2026-01-31T11:00:00Z');
		const z3 = await closeDay(database.db, staff.scope, { date: '2026-01-31' }, at('2026-01-31T15:00:00Z'));
		expect(z3).toMatchObject({ number: 3, periodStart: '2026-01-31', periodEnd: '2026-01-31', receiptCount: 2, firstReceiptNumber: 4, lastReceiptNumber: 5, totalCents: 1350 });
		expect(fieldOf(await closeDay(database.db, staff.scope, { date: '2026-01-29' }, at('2026-01-31T16:00:00Z')).catch((x) => x))).toEqual({ date: 'money.day_closed' });
	});

	it('never covers two months: January sales left open are closed first, automatically', async () => {
		// After the 31 January closure, a sale at 23:00 on the 31st, then sales on 1 and 2 February.
		await sell(plat, 1, 'cash', '2026-01-31T22:00:00Z');
		await sell(biere, 1, 'card', '2026-02-01T10:00:00Z');
		const c = await closeDay(database.db, staff.scope, { date: '2026-02-01' }, at('2026-02-01T20:00:00Z'));
		const [auto] = await database.query<{ number: number; period_start: string; period_end: string; receipt_count: number; first_receipt_number: number }>(
			`SELECT number, period_start::text, period_end::text, receipt_count, first_receipt_number FROM closure WHERE place_id = $1 AND kind = 'day' AND number = 4`,
			[admin.scope.placeId]
		);
		expect(auto).toEqual({ number: 4, period_start: '2026-01-31', period_end: '2026-01-31', receipt_count: 1, first_receipt_number: 6 });
		expect(c).toMatchObject({ number: 5, periodStart: '2026-02-01', periodEnd: '2026-02-01', receiptCount: 1, firstReceiptNumber: 7, lastReceiptNumber: 7 });
		const audit = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'money.closure' AND place_id = $1`, [admin.scope.placeId]);
		expect(audit[0].n).toBe(5);
		// A correction in February of a January sale counts in February.
		const jan = await database.query<{ id: string }>(`SELECT id FROM receipt WHERE place_id = $1 AND number = 1 AND training = false`, [admin.scope.placeId]);
		await recordCorrection(database.db, admin.scope, { receiptId: jan[0].id }, at('2026-02-02T10:00:00Z'));
		await sell(plat, 3, 'card', '2026-02-27T12:00:00Z');
		// 28 Feb: nothing sold that day, closed the next morning: the closure spans 2 to 28 Feb.
		const f = await closeDay(database.db, staff.scope, { date: '2026-02-28' }, at('2026-03-01T08:00:00Z'));
		expect(f).toMatchObject({ number: 6, periodStart: '2026-02-02', periodEnd: '2026-02-28', receiptCount: 2, totalCents: -2500 + 3750 });
	});

	it('each real receipt is in exactly one day closure, numbers unbroken across closures', async () => {
		const rows = await database.query<{ first_receipt_number: number | null; last_receipt_number: number | null; receipt_count: number; period_start: string; period_end: string }>(
			`SELECT first_receipt_number, last_receipt_number, receipt_count, period_start::text, period_end::text FROM closure WHERE place_id = $1 AND kind = 'day' ORDER BY number`,
			[admin.scope.placeId]
		);
		let next = 1;
		for (const r of rows) {
			if (r.receipt_count === 0) continue;
			expect(r.first_receipt_number).toBe(next);
			expect(r.last_receipt_number! - r.first_receipt_number! + 1).toBe(r.receipt_count);
			next = r.last_receipt_number! + 1;
			expect(r.period_start.slice(0, 7)).toBe(r.period_end.slice(0, 7));
		}
		const [{ n }] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM receipt WHERE place_id = $1 AND training = false`, [admin.scope.placeId]);
		expect(next - 1).toBe(n);
		// each receipt's day closure is in the month it was issued (Paris)
		const wrong = await database.query(
			`SELECT r.number FROM receipt r JOIN closure c ON c.place_id = r.place_id AND c.kind = 'day' AND r.number BETWEEN c.first_receipt_number AND c.last_receipt_number
			 WHERE r.place_id = $1 AND r.training = false AND to_char(r.issued_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM') <> to_char(c.period_end, 'YYYY-MM')`,
			[admin.scope.placeId]
		);
		expect(wrong).toEqual([]);
	});
});

describe('monthly closures', () => {
	it('need money.manage, a month that is over, in order, with its last day closed', async () => {
		expect(await closeMonth(database.db, staff.scope, { month: '2026-01' }, at('2026-03-02T10:00:00Z')).catch((x) => x.code)).toBe('forbidden');
		for (const month of ['2026-1', '2026-13', 'janvier', '', null, '1999-12'])
			expect(fieldOf(await closeMonth(database.db, admin.scope, { month }, at('2026-03-02T10:00:00Z')).catch((x) => x))).toEqual({ month: 'field.invalid' });
		expect(fieldOf(await closeMonth(database.db, admin.scope, { month: '2026-03' }, at('2026-03-31T12:00:00Z')).catch((x) => x))).toEqual({ month: 'money.month_not_over' });
		expect(fieldOf(await closeMonth(database.db, admin.scope, { month: '2025-12' }, at('2026-03-02T10:00:00Z')).catch((x) => x))).toEqual({ month: 'money.month_before_journal' });
		expect(fieldOf(await closeMonth(database.db, admin.scope, { month: '2026-02' }, at('2026-03-02T10:00:00Z')).catch((x) => x))).toEqual({ month: 'money.month_earlier_open' });
		expect(await database.query(`SELECT 1 FROM closure WHERE kind = 'month'`)).toEqual([]);
	});

	it('a month’s totals are the sum of its day closures and of its receipts; two people closing at once get one closure', async () => {
		const both = await Promise.allSettled([
			closeMonth(database.db, admin.scope, { month: '2026-01' }, at('2026-03-02T10:00:00Z')),
			closeMonth(database.db, admin.scope, { month: '2026-01' }, at('2026-03-02T10:00:00Z'))
		]);
		const ok = both.flatMap((x) => (x.status === 'fulfilled' ? [x.value] : []));
		expect(ok.length).toBe(1);
		const refused = both.find((x) => x.status === 'rejected') as PromiseRejectedResult;
		expect(fieldOf(refused.reason)).toEqual({ month: 'money.month_closed' });
		const jan = ok[0];
		const days = await closureParts(database.db, admin.scope, jan);
		expect(days.map((d) => d.number)).toEqual([1, 2, 3, 4]);
		const s = sumOf(days);
		expect(asMaps(jan)).toEqual(s);
		const r = await receiptSums('2026-01-01T00:00:00+01:00', '2026-02-01T00:00:00+01:00');
		expect(jan).toMatchObject({ kind: 'month', number: 1, periodStart: '2026-01-01', periodEnd: '2026-01-31', receiptCount: r.n, totalCents: r.total, firstReceiptNumber: 1, lastReceiptNumber: 6 });
		expect(jan.perpetualTotalCents).toBe(days[3].perpetualTotalCents);
		const feb = await closeMonth(database.db, admin.scope, { month: '2026-02' }, at('2026-03-02T10:00:00Z'));
		const fr = await receiptSums('2026-02-01T00:00:00+01:00', '2026-03-01T00:00:00+01:00');
		expect(feb).toMatchObject({ number: 2, receiptCount: fr.n, totalCents: fr.total, perpetualTotalCents: jan.totalCents + fr.total });
		expect(asMaps(feb)).toEqual(sumOf(await closureParts(database.db, admin.scope, feb)));
	});

	it('refuses a month whose last day is open, or with sales after its last day closure', async () => {
		await sell(plat, 1, 'cash', '2026-03-31T10:00:00Z');
		expect(fieldOf(await closeMonth(database.db, admin.scope, { month: '2026-03' }, at('2026-04-02T10:00:00Z')).catch((x) => x))).toEqual({ month: 'money.month_last_day_open' });
		await closeDay(database.db, staff.scope, { date: '2026-03-31' }, at('2026-03-31T16:00:00Z'));
		await sell(biere, 1, 'cash', '2026-03-31T19:00:00Z'); // 21:00 in Paris, after the closure
		expect(fieldOf(await closeMonth(database.db, admin.scope, { month: '2026-03' }, at('2026-04-02T10:00:00Z')).catch((x) => x))).toEqual({ month: 'money.month_pending' });
		const again = await closeDay(database.db, staff.scope, { date: '2026-03-31' }, at('2026-04-02T09:00:00Z'));
		expect(again).toMatchObject({ periodStart: '2026-03-31', periodEnd: '2026-03-31', receiptCount: 1, totalCents: 450 });
		const mar = await closeMonth(database.db, admin.scope, { month: '2026-03' }, at('2026-04-02T10:00:00Z'));
		expect(mar).toMatchObject({ number: 3, receiptCount: 2, totalCents: 1700 });
	});
});

describe('annual closures', () => {
	it('a year’s totals are the sum of its months; refused before its December is closed or before it is over', async () => {
		expect(await closeYear(database.db, staff.scope, { year: '2026' }, at('2027-01-05T10:00:00Z')).catch((x) => x.code)).toBe('forbidden');
		expect(fieldOf(await closeYear(database.db, admin.scope, { year: '2026' }, at('2026-12-31T10:00:00Z')).catch((x) => x))).toEqual({ year: 'money.year_not_over' });
		expect(fieldOf(await closeYear(database.db, admin.scope, { year: '20x6' }, at('2027-01-05T10:00:00Z')).catch((x) => x))).toEqual({ year: 'field.invalid' });
		expect(fieldOf(await closeYear(database.db, admin.scope, { year: '2025' }, at('2027-01-05T10:00:00Z')).catch((x) => x))).toEqual({ year: 'money.year_before_journal' });
		expect(fieldOf(await closeYear(database.db, admin.scope, { year: '2026' }, at('2027-01-05T10:00:00Z')).catch((x) => x))).toEqual({ year: 'money.year_december_open' });
		// December closed: one sale in December, then every month in order (April to November are empty).
		await sell(plat, 2, 'card', '2026-12-15T12:00:00Z');
		await closeDay(database.db, staff.scope, { date: '2027-01-02' }, at('2027-01-02T20:00:00Z'));
		for (let m = 4; m <= 12; m++) await closeMonth(database.db, admin.scope, { month: `2026-${String(m).padStart(2, '0')}` }, at('2027-01-05T10:00:00Z'));
		const both = await Promise.allSettled([
			closeYear(database.db, admin.scope, { year: '2026' }, at('2027-01-05T10:00:00Z')),
			closeYear(database.db, admin.scope, { year: 2026 }, at('2027-01-05T10:00:00Z'))
		]);
		const ok = both.flatMap((x) => (x.status === 'fulfilled' ? [x.value] : []));
		expect(ok.length).toBe(1);
		const y = ok[0];
		const months = (await closureParts(database.db, admin.scope, y)).filter((c) => c.kind === 'month');
		expect(months.length).toBe(12);
		expect(asMaps(y)).toEqual(sumOf(months));
		const r = await receiptSums('2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00');
		expect(y).toMatchObject({ kind: 'year', number: 1, periodStart: '2026-01-01', periodEnd: '2026-12-31', receiptCount: r.n, totalCents: r.total, perpetualTotalCents: r.total });
		expect(months[11]).toMatchObject({ periodStart: '2026-12-01', receiptCount: 1, totalCents: 2500 });
		expect(fieldOf(await closeYear(database.db, admin.scope, { year: '2026' }, at('2027-01-06T10:00:00Z')).catch((x) => x))).toEqual({ year: 'money.year_closed' });
	});
});

describe('verification and the database’s own guards', () => {
	it('verifies the three chains, and names an altered month or year closure', async () => {
		expect(await verifyClosures(database.db, admin.scope.placeId)).toEqual({ ok: true, checked: { day: 10, month: 12, year: 1 } });
		await expect(database.exec(`UPDATE closure SET total_cents = 0 WHERE kind = 'month'`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`DELETE FROM closure WHERE kind = 'year'`)).rejects.toThrow(/append-only/);
		// a month closure must be a calendar month
		await expect(
			database.exec(
				`INSERT INTO closure (id, place_id, kind, number, period_start, period_end, closed_at, receipt_count, totals, payments, total_cents, perpetual_total_cents, previous_hash, hash)
				 VALUES ('x', '${admin.scope.placeId}', 'month', 99, '2030-01-02', '2030-02-01', now(), 0, '[]', '[]', 0, 0, '', '')`
			)
		).rejects.toThrow(/closure_calendar_ck/);
		await database.exec(`BEGIN; SET LOCAL session_replication_role = replica; UPDATE closure SET total_cents = total_cents + 1 WHERE kind = 'month' AND number = 3; COMMIT;`);
		expect(await verifyClosures(database.db, admin.scope.placeId)).toEqual({ ok: false, checked: { day: 10, month: 2, year: 0 }, firstBroken: { kind: 'month', number: 3, reason: 'hash' } });
		await database.exec(`BEGIN; SET LOCAL session_replication_role = replica; UPDATE closure SET total_cents = total_cents - 1 WHERE kind = 'month' AND number = 3; DELETE FROM closure WHERE kind = 'year'; COMMIT;`);
		expect((await verifyClosures(database.db, admin.scope.placeId)).ok).toBe(true);
		await database.exec(`BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM closure WHERE kind = 'day' AND number = 5; COMMIT;`);
		expect(await verifyClosures(database.db, admin.scope.placeId)).toEqual({ ok: false, checked: { day: 4, month: 0, year: 0 }, firstBroken: { kind: 'day', number: 5, reason: 'missing' } });
	});
});

describe('closing the day while selling', () => {
	it('sales made during closures each land in exactly one closure (real clock, concurrent)', async () => {
		const ids = await database.db.transaction(async (tx) => {
			const pl = await createPlace(tx, { name: 'Café C', slug: 'cafe-c' }, null);
			const u = await createUserRecord(tx, { email: 'c@periods.test', name: 'C', password: 'une phrase assez longue 42' });
			await addMember(tx, pl.id, u.id, 'admin', null);
			return { place: pl.id, user: u.id };
		});
		const c = await resolvePlace(database.db, 'cafe-c', { id: ids.user, isOperator: false });
		const pr = (await createProduct(database.db, c.scope, { name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 150 } })).id;
		const today = () => new Date().toLocaleDateString('en-CA', { timeZone: c.scope.timezone });
		const work: Array<Promise<unknown>> = [];
		for (let i = 0; i < 30; i++) {
			work.push(recordSale(database.db, c.scope, { lines: [{ productId: pr, quantity: 1 }], payments: [{ method: 'cash' }] }));
			if (i % 10 === 5) work.push(closeDay(database.db, c.scope, { date: today() }).catch((e) => (fieldOf(e) as Record<string, string>)?.date));
		}
		const results = await Promise.all(work);
		for (const r of results) if (typeof r === 'string') expect(r).toBe('money.day_closed');
		await closeDay(database.db, c.scope, { date: today() }).catch((e) => expect(fieldOf(e)).toEqual({ date: 'money.day_closed' }));
		const rows = await database.query<{ first_receipt_number: number | null; last_receipt_number: number | null; receipt_count: number; total_cents: number }>(
			`SELECT first_receipt_number, last_receipt_number, receipt_count, total_cents FROM closure WHERE place_id = $1 AND kind = 'day' ORDER BY number`,
			[ids.place]
		);
		expect(rows.length).toBeGreaterThanOrEqual(1);
		let next = 1;
		for (const r of rows.filter((x) => x.receipt_count > 0)) {
			expect(r.first_receipt_number).toBe(next);
			expect(r.last_receipt_number! - r.first_receipt_number! + 1).toBe(r.receipt_count);
			next = r.last_receipt_number! + 1;
		}
		expect(next - 1).toBe(30);
		expect(rows.reduce((n, r) => n + r.total_cents, 0)).toBe(30 * 150);
		expect((await verifyClosures(database.db, ids.place)).ok).toBe(true);
	});
});
