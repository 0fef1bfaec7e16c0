// Daily closures: totals per VAT rate and payment method equal the sum of their receipts (training ones
// excluded, corrections included), the perpetual total equals the sum of all closures, one closure per day
// even when two people close at once, append-only and chained.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct, recordCorrection, recordSale } from './commands.server';
import { closeDay, verifyClosures } from './closures.server';

let database: Database;
let placeId: string;
let staff: PlaceContext;
const p: Record<string, string> = {};

beforeAll(async () => {
	database = await freshDatabase();
	const userId = await database.db.transaction(async (tx) => {
		const pl = await createPlace(tx, { name: 'Café Z', slug: 'cafe-z' }, null);
		placeId = pl.id;
		const u = await createUserRecord(tx, { email: 'z@closure.test', name: 'Z', password: 'une phrase assez longue 42' });
		await addMember(tx, pl.id, u.id, 'admin', null);
		return u.id;
	});
	staff = await resolvePlace(database.db, 'cafe-z', { id: userId, isOperator: false });
	p.plat = (await createProduct(database.db, staff.scope, { name: 'Plat', activity: 'cafe', vatCategory: 'food', prices: { public: 1250 } })).id;
	p.biere = (await createProduct(database.db, staff.scope, { name: 'Bière', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450 } })).id;
	const at = (iso: string) => ({ now: new Date(iso) });
	const sell = (lines: Array<[string, number]>, method: 'cash' | 'card', iso: string, training = false) =>
		recordSale(database.db, staff.scope, { lines: lines.map(([productId, quantity]) => ({ productId, quantity })), payments: [{ method }], training }, at(iso));
	// 10 March (Paris): three sales, one cancelled, one training sale; 23:30 Paris is still the 10th.
	await sell([[p.plat, 2], [p.biere, 1]], 'cash', '2026-03-10T11:00:00Z');
	const s2 = await sell([[p.plat, 1]], 'card', '2026-03-10T12:00:00Z');
	await recordCorrection(database.db, staff.scope, { receiptId: s2.id }, at('2026-03-10T12:05:00Z'));
	await sell([[p.biere, 3]], 'card', '2026-03-10T22:30:00Z');
	await sell([[p.plat, 5]], 'cash', '2026-03-10T13:00:00Z', true);
	// 11 March: two sales (00:30 Paris is the 11th)
	await sell([[p.plat, 1], [p.biere, 1]], 'cash', '2026-03-10T23:30:00Z');
	await sell([[p.biere, 2]], 'card', '2026-03-11T15:00:00Z');
});
afterAll(async () => {
	await database?.close();
});

/** Independent sums straight from SQL over the real receipts issued before an instant. */
async function sums(after: number, before: string) {
	const [r] = await database.query<{ n: number; total: number; cash: number; card: number }>(
		`SELECT count(*)::int AS n, coalesce(sum(total_cents), 0)::int AS total,
		  coalesce(sum((SELECT sum((x->>'amountCents')::int) FROM jsonb_array_elements(payments) x WHERE x->>'method' = 'cash')), 0)::int AS cash,
		  coalesce(sum((SELECT sum((x->>'amountCents')::int) FROM jsonb_array_elements(payments) x WHERE x->>'method' = 'card')), 0)::int AS card
		 FROM receipt WHERE place_id = $1 AND training = false AND number > $2 AND issued_at < $3`,
		[placeId, after, before]
	);
	return r;
}

describe('daily closures', () => {
	it('refuses a day still to come, and bad dates', async () => {
		// 23:30 UTC on the 10th is already the 11th in Paris: the 11th is today, the 12th is to come.
		const e = await closeDay(database.db, staff.scope, { date: '2026-03-12' }, { now: new Date('2026-03-10T23:30:00Z') }).catch((x) => x);
		expect(e).toBeInstanceOf(AppError);
		expect(e.fields).toEqual({ date: 'money.day_not_over' });
		for (const date of ['10/03/2026', '2026-02-30', '2026-13-01', '', null, 42, '1999-12-31'])
			expect((await closeDay(database.db, staff.scope, { date }).catch((x) => x)).fields).toEqual({ date: 'field.invalid' });
		expect(await database.query(`SELECT 1 FROM closure`)).toEqual([]);
	});

	it('a day’s closure totals equal the sum of its receipts (training excluded, corrections included)', async () => {
		const z = await closeDay(database.db, staff.scope, { date: '2026-03-10' }, { now: new Date('2026-03-11T08:00:00Z') });
		const s = await sums(0, '2026-03-10T23:00:00Z');
		expect(z).toMatchObject({ number: 1, periodStart: '2026-03-10', periodEnd: '2026-03-10', receiptCount: s.n, totalCents: s.total, perpetualTotalCents: s.total, firstReceiptNumber: 1, lastReceiptNumber: 4 });
		expect(s.n).toBe(4);
		expect(s.total).toBe(2500 + 450 + 1250 - 1250 + 1350);
		expect(z.payments).toEqual([
			{ method: 'cash', amountCents: s.cash },
			{ method: 'card', amountCents: s.card }
		]);
		expect(z.totals).toEqual([
			{ rateBp: 1000, outsideScope: false, htCents: 2273, vatCents: 227, ttcCents: 2500 },
			{ rateBp: 2000, outsideScope: false, htCents: 375 + 1125, vatCents: 75 + 225, ttcCents: 1800 }
		]);
		expect(z.totals.reduce((a, t) => a + t.ttcCents, 0)).toBe(z.totalCents);
	});

	it('the next day continues after the last receipt closed; the perpetual total is the sum of all closures', async () => {
		const again = await closeDay(database.db, staff.scope, { date: '2026-03-10' }, { now: new Date('2026-03-12T08:00:00Z') }).catch((x) => x);
		expect(again.fields).toEqual({ date: 'money.day_closed' });
		// two people close the 11th at the same moment: one closure, one refusal
		const both = await Promise.allSettled([
			closeDay(database.db, staff.scope, { date: '2026-03-11' }, { now: new Date('2026-03-12T08:00:00Z') }),
			closeDay(database.db, staff.scope, { date: '2026-03-11' }, { now: new Date('2026-03-12T08:00:00Z') })
		]);
		const ok = both.filter((x) => x.status === 'fulfilled').map((x) => (x as PromiseFulfilledResult<Awaited<ReturnType<typeof closeDay>>>).value);
		expect(ok.length).toBe(1);
		const z2 = ok[0];
		const s = await sums(4, '2026-03-11T23:00:00Z');
		expect(z2).toMatchObject({ number: 2, periodStart: '2026-03-11', receiptCount: 2, totalCents: s.total, firstReceiptNumber: 5, lastReceiptNumber: 6 });
		const rows = await database.query<{ total_cents: number; perpetual_total_cents: string | number }>(`SELECT total_cents, perpetual_total_cents FROM closure WHERE place_id = $1 ORDER BY number`, [placeId]);
		expect(Number(rows[1].perpetual_total_cents)).toBe(rows[0].total_cents + rows[1].total_cents);
		const all = await sums(0, '2999-01-01T00:00:00Z');
		expect(z2.perpetualTotalCents).toBe(all.total);
		expect(await verifyClosures(database.db, placeId)).toEqual({ ok: true, checked: { day: 2, month: 0, year: 0 } });
	});

	it('closures are append-only, and an altered one is named', async () => {
		await expect(database.exec(`UPDATE closure SET total_cents = 0`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`DELETE FROM closure`)).rejects.toThrow(/append-only/);
		await database.exec(`BEGIN; SET LOCAL session_replication_role = replica; UPDATE closure SET perpetual_total_cents = 1 WHERE number = 2; COMMIT;`);
		expect(await verifyClosures(database.db, placeId)).toEqual({ ok: false, checked: { day: 1, month: 0, year: 0 }, firstBroken: { kind: 'day', number: 2, reason: 'hash' } });
	});
});
