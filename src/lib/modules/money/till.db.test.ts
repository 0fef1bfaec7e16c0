// Cash drawer sessions: expected = float + cash of the till's real receipts during the session (training,
// other tills and card payments excluded, corrections included), difference = counted − expected (may be
// negative); one open session per till, even when two people open it at the same instant; a closed session
// can never change nor be deleted (triggers), and the journal reads behind the till pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, dbKind } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct, recordCorrection, recordSale } from './commands.server';
import { closeCashSession, currentCashSession, getReceipt, listCashSessions, mailReceipt, openCashSession, receiptsOfDay } from './till.server';

let database: Database;
let admin: PlaceContext;
let staff: PlaceContext;
let member: PlaceContext;
const p: Record<string, string> = {};
const at = (iso: string) => ({ now: new Date(iso) });

beforeAll(async () => {
	database = await freshDatabase({ poolSize: 20 });
	const ids = await database.db.transaction(async (tx) => {
		const pl = await createPlace(tx, { name: 'Café Tiroir', slug: 'cafe-tiroir' }, null);
		const a = await createUserRecord(tx, { email: 'a@till.test', name: 'A', password: 'une phrase assez longue 42' });
		const s = await createUserRecord(tx, { email: 's@till.test', name: 'S', password: 'une phrase assez longue 42' });
		const m = await createUserRecord(tx, { email: 'm@till.test', name: 'M', password: 'une phrase assez longue 42' });
		await addMember(tx, pl.id, a.id, 'admin', null);
		await addMember(tx, pl.id, s.id, 'staff', null);
		await addMember(tx, pl.id, m.id, 'member', null);
		return { a: a.id, s: s.id, m: m.id };
	});
	admin = await resolvePlace(database.db, 'cafe-tiroir', { id: ids.a, isOperator: false });
	staff = await resolvePlace(database.db, 'cafe-tiroir', { id: ids.s, isOperator: false });
	member = await resolvePlace(database.db, 'cafe-tiroir', { id: ids.m, isOperator: false });
	p.plat = (await createProduct(database.db, admin.scope, { name: 'Plat', activity: 'cafe', vatCategory: 'food', prices: { public: 1250 } })).id;
	p.biere = (await createProduct(database.db, admin.scope, { name: 'Bière', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450 } })).id;
});
afterAll(async () => {
	await database?.close();
});

describe('cash drawer sessions', () => {
	it('expected = float + cash of the real receipts of that till during the session; difference may be negative', async () => {
		const s = await openCashSession(database.db, staff.scope, { till: '1', openingFloatCents: 10000 }, at('2026-03-10T08:00:00Z'));
		expect(s.closedAt).toBeNull();
		expect((await currentCashSession(database.db, staff.scope, '1'))?.id).toBe(s.id);
		// before the opening: not counted
		await recordSale(database.db, staff.scope, { lines: [{ productId: p.plat, quantity: 1 }], payments: [{ method: 'cash' }], till: '1' }, at('2026-03-10T07:59:00Z'));
		// counted: 2 plats + 1 bière cash (2950), a split 1000 cash + rest card, a cash sale then cancelled
		await recordSale(database.db, staff.scope, { lines: [{ productId: p.plat, quantity: 2 }, { productId: p.biere, quantity: 1 }], payments: [{ method: 'cash' }], till: '1' }, at('2026-03-10T11:45:00Z'));
		await recordSale(database.db, staff.scope, { lines: [{ productId: p.plat, quantity: 2 }], payments: [{ method: 'cash', amountCents: 1000 }, { method: 'card' }], till: '1' }, at('2026-03-10T12:00:00Z'));
		const cancelled = await recordSale(database.db, staff.scope, { lines: [{ productId: p.biere, quantity: 2 }], payments: [{ method: 'cash' }], till: '1' }, at('2026-03-10T12:10:00Z'));
		await recordCorrection(database.db, admin.scope, { receiptId: cancelled.id }, at('2026-03-10T12:11:00Z'));
		// not counted: card only, another till, training
		await recordSale(database.db, staff.scope, { lines: [{ productId: p.biere, quantity: 1 }], payments: [{ method: 'card' }], till: '1' }, at('2026-03-10T12:20:00Z'));
		await recordSale(database.db, staff.scope, { lines: [{ productId: p.biere, quantity: 3 }], payments: [{ method: 'cash' }], till: '2' }, at('2026-03-10T12:30:00Z'));
		await recordSale(database.db, staff.scope, { lines: [{ productId: p.plat, quantity: 4 }], payments: [{ method: 'cash' }], till: '1', training: true }, at('2026-03-10T12:40:00Z'));
		// after the closing: not counted
		await recordSale(database.db, staff.scope, { lines: [{ productId: p.plat, quantity: 1 }], payments: [{ method: 'cash' }], till: '1' }, at('2026-03-10T19:00:01Z'));

		const closed = await closeCashSession(database.db, staff.scope, { till: '1', countedCents: 13900, note: 'manque 50 centimes' }, at('2026-03-10T19:00:00Z'));
		expect(closed.expectedCents).toBe(10000 + 2950 + 1000);
		expect(closed.countedCents).toBe(13900);
		expect(closed.differenceCents).toBe(-50);
		expect(closed.note).toBe('manque 50 centimes');
		expect(closed.closedBy).toBe(staff.scope.userId);
		expect(await currentCashSession(database.db, staff.scope, '1')).toBeUndefined();
		const [auditRow] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'money.cash_session_close'`, [closed.id]);
		expect(auditRow.n).toBe(1);
	});

	it('closing twice, or a till never opened, is refused with a translated field error; bad amounts too', async () => {
		const e = await closeCashSession(database.db, staff.scope, { till: '1', countedCents: 0 }).catch((x) => x);
		expect(e).toBeInstanceOf(AppError);
		expect(e.fields).toEqual({ till: 'till.session.not_open' });
		const neg = await openCashSession(database.db, staff.scope, { till: '9', openingFloatCents: -1 }).catch((x) => x);
		expect(neg.fields).toEqual({ openingFloatCents: 'field.invalid' });
		const forbidden = await openCashSession(database.db, member.scope, { till: '9', openingFloatCents: 0 }).catch((x) => x);
		expect(forbidden.code).toBe('forbidden');
		expect(await currentCashSession(database.db, staff.scope, '9')).toBeUndefined();
	});

	it('one open session per till: a second opening conflicts; other tills are independent', async () => {
		const first = await openCashSession(database.db, staff.scope, { till: '3', openingFloatCents: 5000 });
		const again = await openCashSession(database.db, admin.scope, { till: '3', openingFloatCents: 7000 }).catch((x) => x);
		expect(again.code).toBe('conflict');
		expect(again.fields).toEqual({ till: 'till.session.already_open' });
		const other = await openCashSession(database.db, staff.scope, { till: '4', openingFloatCents: 0 });
		expect(other.id).not.toBe(first.id);
		await closeCashSession(database.db, staff.scope, { till: '3', countedCents: 5000 });
		await closeCashSession(database.db, staff.scope, { till: '4', countedCents: 0 });
		// once closed, the till can be opened again
		const reopened = await openCashSession(database.db, staff.scope, { till: '3', openingFloatCents: 100 });
		expect(reopened.openingFloatCents).toBe(100);
		await closeCashSession(database.db, staff.scope, { till: '3', countedCents: 100 });
	});

	it(`concurrent openings of the same till give exactly one session (${dbKind})`, async () => {
		const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => openCashSession(database.db, i % 2 ? admin.scope : staff.scope, { till: 'race', openingFloatCents: 1000 + i })));
		const ok = results.filter((r) => r.status === 'fulfilled');
		const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(ok).toHaveLength(1);
		expect(failed).toHaveLength(7);
		for (const f of failed) expect((f.reason as AppError).code).toBe('conflict');
		const [row] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM cash_session WHERE till = 'race' AND closed_at IS NULL`);
		expect(row.n).toBe(1);
		// concurrent closings: one closes, the other is told the drawer is no longer open
		const closings = await Promise.allSettled([closeCashSession(database.db, staff.scope, { till: 'race', countedCents: 1 }), closeCashSession(database.db, admin.scope, { till: 'race', countedCents: 2 })]);
		expect(closings.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const [closedRows] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM cash_session WHERE till = 'race' AND closed_at IS NOT NULL`);
		expect(closedRows.n).toBe(1);
	});

	it(`a drawer closed while sales are being recorded counts every sale it let through; later ones are refused (${dbKind})`, async () => {
		await openCashSession(database.db, staff.scope, { till: 'rush', openingFloatCents: 0 });
		const sale = () => recordSale(database.db, staff.scope, { lines: [{ productId: p.biere, quantity: 1 }], payments: [{ method: 'cash' }], till: 'rush' }, { requireOpenDrawer: true });
		const sales = Array.from({ length: 12 }, () => sale());
		const closing = closeCashSession(database.db, admin.scope, { till: 'rush', countedCents: 0 });
		const more = Array.from({ length: 12 }, () => sale());
		const results = await Promise.allSettled([...sales, ...more]);
		const closed = await closing;
		const passed = results.filter((r) => r.status === 'fulfilled').length;
		for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).fields).toEqual({ till: 'till.session.not_open' });
		// every sale that got through was in the drawer when it was counted: nothing slipped in after
		expect(closed.expectedCents).toBe(passed * 450);
		expect(passed).toBeGreaterThan(0);
		const after = await sale().catch((e: AppError) => e);
		expect((after as AppError).fields).toEqual({ till: 'till.session.not_open' });
		// training sales need no drawer
		expect((await recordSale(database.db, staff.scope, { lines: [{ productId: p.biere, quantity: 1 }], payments: [{ method: 'cash' }], till: 'rush', training: true }, { requireOpenDrawer: true })).training).toBe(true);
	});

	it('a closed session can never change nor be deleted; an open one cannot change its opening (triggers)', async () => {
		const [closed] = await database.query<{ id: string }>(`SELECT id FROM cash_session WHERE closed_at IS NOT NULL ORDER BY opened_at LIMIT 1`);
		await expect(database.query(`UPDATE cash_session SET counted_cents = 0, difference_cents = 0 - expected_cents WHERE id = $1`, [closed.id])).rejects.toThrow(/closed session cannot change/);
		await expect(database.query(`UPDATE cash_session SET note = 'x' WHERE id = $1`, [closed.id])).rejects.toThrow(/closed session cannot change/);
		await expect(database.query(`DELETE FROM cash_session WHERE id = $1`, [closed.id])).rejects.toThrow(/append-only/);
		const open = await openCashSession(database.db, staff.scope, { till: '5', openingFloatCents: 2000 });
		await expect(database.query(`UPDATE cash_session SET opening_float_cents = 0 WHERE id = $1`, [open.id])).rejects.toThrow(/opening of a session cannot change/);
		// the closing figures must agree with each other (check constraint)
		await expect(database.query(`UPDATE cash_session SET closed_at = now(), counted_cents = 10, expected_cents = 5, difference_cents = 1 WHERE id = $1`, [open.id])).rejects.toThrow();
		const sessions = await listCashSessions(database.db, staff.scope);
		expect(sessions.find((s) => s.id === open.id)?.closedAt).toBeNull();
	});
});

describe('till reads and e-mail', () => {
	it('getReceipt links a sale and its correction; receiptsOfDay uses the place’s day; mailReceipt queues a mail', async () => {
		const sale = await recordSale(database.db, staff.scope, { lines: [{ productId: p.plat, quantity: 1 }], payments: [{ method: 'card' }] }, at('2026-03-12T22:30:00Z'));
		const corr = await recordCorrection(database.db, admin.scope, { receiptId: sale.id }, at('2026-03-12T22:31:00Z'));
		const g = await getReceipt(database.db, staff.scope, sale.id);
		expect(g.correctedBy?.id).toBe(corr.id);
		const c = await getReceipt(database.db, staff.scope, corr.id);
		expect(c.corrected?.number).toBe(sale.number);
		// 22:30Z on 12 March is 23:30 in Paris: still the 12th
		const day = await receiptsOfDay(database.db, staff.scope, '2026-03-12', false);
		expect(day.map((r) => r.id)).toEqual([sale.id, corr.id]);
		expect(await receiptsOfDay(database.db, staff.scope, '2026-03-13', false)).toEqual([]);
		await expect(getReceipt(database.db, member.scope, sale.id)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(getReceipt(database.db, staff.scope, 'nope')).rejects.toMatchObject({ code: 'not_found' });

		const { mailId } = await mailReceipt(database.db, staff.scope, { receiptId: sale.id, to: 'client@example.org' }, 'fr');
		const [m] = await database.query<{ to_address: string; subject: string; text: string }>(`SELECT to_address, subject, text_body AS text FROM mail_outbox WHERE id = $1`, [mailId]);
		expect(m.to_address).toBe('client@example.org');
		expect(m.subject).toContain(`T-${String(sale.number).padStart(6, '0')}`);
		expect(m.text).toContain('Total TTC');
		expect(m.text).toContain('Café Tiroir');
		// the receipt PDF goes with it
		const [att] = await database.query<{ filename: string; type: string; b64: string }>(`SELECT a->>'filename' AS filename, a->>'contentType' AS type, a->>'contentBase64' AS b64 FROM mail_outbox, jsonb_array_elements(attachments) AS a WHERE id = $1`, [mailId]);
		expect(att).toMatchObject({ filename: `ticket-T-${String(sale.number).padStart(6, '0')}.pdf`, type: 'application/pdf' });
		expect(Buffer.from(att.b64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const bad = await mailReceipt(database.db, staff.scope, { receiptId: sale.id, to: 'pas une adresse' }, 'fr').catch((x) => x);
		expect(bad.fields).toEqual({ to: 'field.email' });
	});
});
