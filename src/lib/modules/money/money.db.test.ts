// The money module on a real database: catalogue, VAT per line, payments, the append-only till journal
// (triggers), tamper detection by verifyLedger, training receipts, corrections, rate changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct, recordCorrection, recordSale } from './commands.server';
import { listActiveProducts, listReceipts } from './queries.server';
import { verifyLedger } from './ledger.server';
import { GENESIS_HASH, sumRateTotals } from './rules';

let database: Database;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};

beforeAll(async () => {
	database = await freshDatabase();
	const db = database.db;
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Café A', slug: 'cafe-a' }, null);
		const b = await createPlace(tx, { name: 'Café B', slug: 'cafe-b' }, null);
		ids.placeA = a.id;
		ids.placeB = b.id;
		for (const [key, roleKey, placeId] of [
			['admin', 'admin', a.id],
			['staff', 'staff', a.id],
			['member', 'member', a.id],
			['adminB', 'admin', b.id]
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@money.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, placeId, u.id, roleKey, null);
		}
	});
	for (const key of ['admin', 'staff', 'member']) ctx[key] = await resolvePlace(db, 'cafe-a', { id: ids[key], isOperator: false });
	ctx.adminB = await resolvePlace(db, 'cafe-b', { id: ids.adminB, isOperator: false });
	ctx.anon = await resolvePlace(db, 'cafe-a', null);
	const mk = (name: string, activity: string, vatCategory: string, prices: Record<string, number>) =>
		createProduct(db, ctx.admin.scope, { name, activity, vatCategory, prices } as never).then((p) => (ids[name] = p.id));
	await mk('Plat du jour', 'cafe', 'food', { public: 1250, member: 1100 });
	await mk('Bière pression', 'cafe', 'alcohol', { public: 450 });
	await mk('Cookie', 'cafe', 'food', { public: 300 });
	await mk('Part sociale', 'shares', 'share', { public: 5000 });
	ids.productB = (await createProduct(db, ctx.adminB.scope, { name: 'Plat B', activity: 'cafe', vatCategory: 'food', prices: { public: 1000 } })).id;
});
afterAll(async () => {
	await database?.close();
});

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);

describe('catalogue', () => {
	it('lists the active products of the place with their prices, to anyone', async () => {
		const list = await listActiveProducts(database.db, ctx.anon.scope);
		expect(list.map((p) => p.name).sort()).toEqual(['Bière pression', 'Cookie', 'Part sociale', 'Plat du jour']);
		expect(list.find((p) => p.name === 'Plat du jour')).toMatchObject({ activity: 'cafe', prices: { public: 1250, member: 1100 } });
	});
	it('refuses products from people without cafe.menu / money.manage, and bad prices', async () => {
		expect((await fail(createProduct(database.db, ctx.member.scope, { name: 'X', activity: 'cafe', vatCategory: 'food', prices: { public: 1 } })))?.code).toBe('forbidden');
		const e = await fail(createProduct(database.db, ctx.admin.scope, { name: 'X', activity: 'cafe', vatCategory: 'food', prices: { public: -1 } }));
		expect(e?.code).toBe('invalid_input');
		expect(e?.fields).toHaveProperty(['prices.public']);
	});
});

describe('recordSale', () => {
	it('two dishes on site at 10 % and a beer at 20 %, paid cash: totals per rate and a chained receipt', async () => {
		const r = await recordSale(database.db, ctx.staff.scope, {
			lines: [
				{ productId: ids['Plat du jour'], quantity: 2, context: 'on_site' },
				{ productId: ids['Bière pression'], quantity: 1, context: 'on_site' }
			],
			payments: [{ method: 'cash' }]
		});
		expect(r).toMatchObject({ number: 1, series: 'main', training: false, kind: 'sale', totalCents: 2950, previousHash: GENESIS_HASH, operatorRef: ids.staff, till: '1' });
		expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
		expect(r.totals).toEqual([
			{ rateBp: 1000, outsideScope: false, htCents: 2273, vatCents: 227, ttcCents: 2500 },
			{ rateBp: 2000, outsideScope: false, htCents: 375, vatCents: 75, ttcCents: 450 }
		]);
		expect(r.payments).toEqual([{ method: 'cash', amountCents: 2950 }]);
		expect(r.lines[0]).toMatchObject({ label: 'Plat du jour', quantity: 2, unitPriceCents: 1250, rateBp: 1000, totalCents: 2500 });
		// no personal data in the journal: the operator is a pseudonymous id
		expect(JSON.stringify(r)).not.toContain('@money.test');
	});
	it('resolves VAT per line from the context (takeaway for later: 5.5 %) and the audience price', async () => {
		const r = await recordSale(database.db, ctx.staff.scope, {
			lines: [
				{ productId: ids.Cookie, quantity: 3, context: 'takeaway_later' },
				{ productId: ids['Plat du jour'], quantity: 1, context: 'takeaway_now' },
				{ productId: ids['Bière pression'], quantity: 1, context: 'takeaway_later' }
			],
			payments: [{ method: 'card', amountCents: 1000 }, { method: 'cash' }],
			audience: 'member'
		});
		expect(r.lines.map((l) => [l.unitPriceCents, l.rateBp])).toEqual([
			[300, 550],
			[1100, 1000],
			[450, 2000]
		]);
		expect(r.totalCents).toBe(900 + 1100 + 450);
		expect(r.payments).toEqual([
			{ method: 'card', amountCents: 1000 },
			{ method: 'cash', amountCents: 1450 }
		]);
		expect(r.number).toBe(2);
	});
	it('keeps share subscriptions outside VAT', async () => {
		const r = await recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids['Part sociale'], quantity: 2 }], payments: [{ method: 'cheque' }] });
		expect(r.totals).toEqual([{ rateBp: 0, outsideScope: true, htCents: 10000, vatCents: 0, ttcCents: 10000 }]);
	});
	it('refuses payments that do not match the total, with a field message, and writes nothing', async () => {
		const before = (await listReceipts(database.db, ctx.admin.scope)).length;
		const e = await fail(recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids.Cookie, quantity: 1 }], payments: [{ method: 'cash', amountCents: 200 }] }));
		expect(e).toBeInstanceOf(AppError);
		expect(e?.code).toBe('invalid_input');
		expect(e?.fields).toEqual({ payments: 'money.payments_mismatch' });
		expect((await listReceipts(database.db, ctx.admin.scope)).length).toBe(before);
	});
	it('refuses unknown products, another place’s products, bad input and people without cafe.sell', async () => {
		const e = await fail(recordSale(database.db, ctx.staff.scope, { lines: [{ productId: 'nope', quantity: 1 }, { productId: ids.productB, quantity: 1 }], payments: [{ method: 'cash' }] }));
		expect(e?.fields).toEqual({ 'lines.0.productId': 'money.unknown_product', 'lines.1.productId': 'money.unknown_product' });
		const bad = await fail(recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids.Cookie, quantity: 0, context: 'moon' as never }], payments: [{ method: 'bitcoin' as never }] }));
		expect(bad?.code).toBe('invalid_input');
		expect(Object.keys(bad?.fields ?? {})).toEqual(expect.arrayContaining(['lines.0.quantity', 'lines.0.context', 'payments.0.method']));
		expect((await fail(recordSale(database.db, ctx.member.scope, { lines: [{ productId: ids.Cookie, quantity: 1 }], payments: [{ method: 'cash' }] })))?.code).toBe('forbidden');
		expect((await fail(recordSale(database.db, ctx.anon.scope, { lines: [{ productId: ids.Cookie, quantity: 1 }], payments: [{ method: 'cash' }] })))?.code).toBe('unauthenticated');
	});
	it('a VAT rate change applies from its date and leaves earlier receipts as they were', async () => {
		// why: rates are data; this row exists only in this test's database.
		await database.exec(`INSERT INTO vat_rate (category, context, rate_bp, valid_from) VALUES ('machine_time', 'any', 2100, '2031-01-01')`);
		await database.exec(`UPDATE vat_rate SET valid_to = '2030-12-31' WHERE category = 'machine_time' AND rate_bp = 2000`);
		const laser = await createProduct(database.db, ctx.admin.scope, { name: 'Laser (heure)', activity: 'machines', vatCategory: 'machine_time', prices: { public: 3000 } });
		const sale = (iso: string) => recordSale(database.db, ctx.staff.scope, { lines: [{ productId: laser.id, quantity: 1 }], payments: [{ method: 'card' }] }, { now: new Date(iso) });
		// 23:30 UTC on 31 Dec 2030 is already 1 Jan 2031 in Paris: the place's date decides.
		const before = await sale('2030-12-31T22:30:00Z');
		const after = await sale('2030-12-31T23:30:00Z');
		expect(before.lines[0].rateBp).toBe(2000);
		expect(after.lines[0].rateBp).toBe(2100);
		const [again] = (await listReceipts(database.db, ctx.admin.scope, { from: new Date('2030-12-31T22:00:00Z'), to: new Date('2030-12-31T23:00:00Z') })).filter((r) => r.id === before.id);
		expect(again.lines[0].rateBp).toBe(2000);
		expect(again.hash).toBe(before.hash);
		expect((await verifyLedger(database.db, ids.placeA)).ok).toBe(true);
	});
});

describe('training mode', () => {
	it('uses its own numbering and chain and stays out of the real receipts', async () => {
		const realBefore = await listReceipts(database.db, ctx.admin.scope);
		const t1 = await recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids.Cookie, quantity: 1 }], payments: [{ method: 'cash' }], training: true });
		const t2 = await recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids.Cookie, quantity: 2 }], payments: [{ method: 'cash' }], training: true });
		expect([t1.number, t2.number]).toEqual([1, 2]);
		expect(t1.training).toBe(true);
		expect(t1.previousHash).toBe(GENESIS_HASH);
		expect(t2.previousHash).toBe(t1.hash);
		const real = await listReceipts(database.db, ctx.admin.scope);
		expect(real.length).toBe(realBefore.length);
		expect(real.every((r) => !r.training)).toBe(true);
		const real2 = await recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids.Cookie, quantity: 1 }], payments: [{ method: 'cash' }] });
		expect(real2.number).toBe(realBefore.length + 1);
		expect((await listReceipts(database.db, ctx.admin.scope, { training: true })).map((r) => r.number)).toEqual([1, 2]);
		const report = await verifyLedger(database.db, ids.placeA);
		expect(report).toMatchObject({ ok: true, chains: 2 });
	});
});

describe('corrections', () => {
	it('cancel a sale with a negative receipt referencing it, once; totals cancel out', async () => {
		const sale = await recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids['Plat du jour'], quantity: 3 }], payments: [{ method: 'card' }] });
		expect((await fail(recordCorrection(database.db, ctx.staff.scope, { receiptId: sale.id })))?.code).toBe('forbidden');
		const c = await recordCorrection(database.db, ctx.admin.scope, { receiptId: sale.id });
		expect(c).toMatchObject({ kind: 'correction', correctsId: sale.id, number: sale.number + 1, totalCents: -3750, previousHash: sale.hash });
		expect(c.payments).toEqual([{ method: 'card', amountCents: -3750 }]);
		expect(sumRateTotals([sale.totals, c.totals])).toEqual([{ rateBp: 1000, outsideScope: false, htCents: 0, vatCents: 0, ttcCents: 0 }]);
		expect((await fail(recordCorrection(database.db, ctx.admin.scope, { receiptId: sale.id })))?.code).toBe('conflict');
		expect((await fail(recordCorrection(database.db, ctx.admin.scope, { receiptId: c.id })))?.code).toBe('invalid_input');
		expect((await fail(recordCorrection(database.db, ctx.adminB.scope, { receiptId: sale.id })))?.code).toBe('not_found');
		expect((await verifyLedger(database.db, ids.placeA)).ok).toBe(true);
	});
});

describe('listReceipts', () => {
	it('needs money.view or cafe.sell and never shows another place', async () => {
		expect((await fail(listReceipts(database.db, ctx.member.scope)))?.code).toBe('forbidden');
		expect(await listReceipts(database.db, ctx.adminB.scope)).toEqual([]);
		expect((await listReceipts(database.db, ctx.staff.scope)).length).toBeGreaterThan(0);
	});
});

describe('append-only journal', () => {
	it('the database refuses UPDATE, DELETE and TRUNCATE of receipts', async () => {
		await expect(database.exec(`UPDATE receipt SET total_cents = 1 WHERE number = 1`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`DELETE FROM receipt WHERE number = 1`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`TRUNCATE receipt`)).rejects.toThrow(/append-only/);
		expect((await verifyLedger(database.db, ids.placeA)).ok).toBe(true);
	});
});
