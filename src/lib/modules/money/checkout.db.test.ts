// The shared checkout on a real database (both engines): order lifecycle, the sellable registry with a
// capacity-limited test kind (no overselling under concurrency), expiry, on-site payment into the till
// journal, provider events applied exactly once (replays, concurrent deliveries, wrong amounts), and the
// database guards on order status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { auditLog, receipt } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct } from './commands.server';
import { verifyLedger } from './ledger.server';
import {
	applyProviderEvent,
	cancelOrder,
	createOrder,
	expireDueOrders,
	getOrder,
	listOrders,
	openOrder,
	payOrderWithWallet,
	recordOrderPayment,
	registerSellable
} from './checkout.server';
import { sellableKinds, unregisterSellable, type Sellable } from './checkout-registry.server';
import { createWalletPack, ledgerSum, refundAsCredit, walletBalances } from './wallet.server';
import { checkoutOrder } from './checkout-schema';

let database: Database;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};

// A capacity-limited sellable that exists only in this test: seats of a workshop.
const testStock = pgTable('test_stock', { id: text('id').primaryKey(), capacity: integer('capacity').notNull(), held: integer('held').notNull(), sold: integer('sold').notNull() });
const seats: Sellable = {
	async reserve(tx, { line }) {
		const r = await tx
			.update(testStock)
			.set({ held: sql`${testStock.held} + ${line.quantity}` })
			.where(and(eq(testStock.id, line.refId!), sql`${testStock.held} + ${testStock.sold} + ${line.quantity} <= ${testStock.capacity}`))
			.returning();
		if (!r.length) throw new AppError('capacity_reached');
	},
	async confirm(tx, { line }) {
		await tx
			.update(testStock)
			.set({ held: sql`${testStock.held} - ${line.quantity}`, sold: sql`${testStock.sold} + ${line.quantity}` })
			.where(eq(testStock.id, line.refId!));
	},
	async release(tx, { line }) {
		await tx
			.update(testStock)
			.set({ held: sql`${testStock.held} - ${line.quantity}` })
			.where(eq(testStock.id, line.refId!));
	}
};
const stock = async () => (await database.db.select().from(testStock).where(eq(testStock.id, 'atelier')))[0];
const seatLine = (quantity = 1) => ({ kind: 'test_seat', refId: 'atelier', label: 'Atelier soudure', activity: 'events' as const, quantity, unitPriceCents: 1500, vatCategory: 'service' as const });
const openSeatOrder = (quantity = 1, now?: Date, ttlMs?: number) =>
	database.db.transaction((tx) => openOrder(tx, { placeId: ids.place, timezone: 'Europe/Paris', buyerId: ids.member, createdBy: ids.member, lines: [seatLine(quantity)], now, ttlMs }));
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);

beforeAll(async () => {
	database = await freshDatabase();
	const db = database.db;
	await database.exec(`CREATE TABLE test_stock (id text PRIMARY KEY, capacity int NOT NULL, held int NOT NULL DEFAULT 0, sold int NOT NULL DEFAULT 0, CHECK (held >= 0 AND held + sold <= capacity))`);
	await database.exec(`INSERT INTO test_stock (id, capacity) VALUES ('atelier', 5)`);
	registerSellable('test_seat', seats);
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Tiers A', slug: 'tiers-a' }, null);
		ids.place = a.id;
		for (const [key, roleKey] of [
			['admin', 'admin'],
			['staff', 'staff'],
			['member', 'member'],
			['other', 'member']
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@checkout.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, a.id, u.id, roleKey, null);
		}
	});
	for (const key of ['admin', 'staff', 'member', 'other']) ctx[key] = await resolvePlace(db, 'tiers-a', { id: ids[key], isOperator: false });
	ids.soup = (await createProduct(db, ctx.admin.scope, { name: 'Soupe', activity: 'cafe', vatCategory: 'food', prices: { public: 600, member: 500 } })).id;
	ids.beer = (await createProduct(db, ctx.admin.scope, { name: 'Bière', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450 } })).id;
	ids.hours = (await createWalletPack(db, ctx.admin.scope, { label: 'Carnet 10 h machines', unit: 'minutes', amount: 600, priceCents: 20000 })).id;
	ids.credit = (await createWalletPack(db, ctx.admin.scope, { label: 'Crédit 20 €', unit: 'cents', amount: 2000, priceCents: 2000 })).id;
});
afterAll(async () => {
	unregisterSellable('test_seat');
	await database?.close();
});

describe('registry', () => {
	it('knows the built-in kinds and refuses bad or conflicting registrations', () => {
		expect(sellableKinds()).toEqual(expect.arrayContaining(['product', 'wallet_credit', 'test_seat']));
		expect(() => registerSellable('Bad Kind', seats)).toThrow(/bad kind/);
		expect(() => registerSellable('test_seat', { ...seats })).toThrow(/already registered/);
		expect(() => registerSellable('test_seat', seats)).not.toThrow();
	});
	it('refuses a line of an unknown kind and writes nothing', async () => {
		const before = (await database.db.select().from(checkoutOrder)).length;
		const e = await fail(database.db.transaction((tx) => openOrder(tx, { placeId: ids.place, timezone: 'Europe/Paris', buyerId: null, createdBy: null, lines: [{ ...seatLine(), kind: 'nope' }] })));
		expect(e?.code).toBe('invalid_input');
		expect((await database.db.select().from(checkoutOrder)).length).toBe(before);
	});
});

describe('member orders and on-site payment', () => {
	it('prices catalogue products at the member price and an hour pack, pending with an expiry', async () => {
		const now = new Date();
		const o = await createOrder(database.db, ctx.member.scope, { products: [{ productId: ids.soup, quantity: 2 }, { productId: ids.beer, quantity: 1 }], packId: ids.hours }, { now });
		expect(o).toMatchObject({ status: 'pending', totalCents: 2 * 500 + 450 + 20000, buyerId: ids.member, currency: 'EUR' });
		expect(o.expiresAt.getTime()).toBe(now.getTime() + 60 * 60 * 1000);
		expect(o.lines.map((l) => [l.kind, l.label, l.quantity, l.unitPriceCents, l.vatCategory])).toEqual([
			['product', 'Soupe', 2, 500, 'food'],
			['product', 'Bière', 1, 450, 'alcohol'],
			['wallet_credit', 'Carnet 10 h machines', 1, 20000, 'machine_time']
		]);
		ids.order1 = o.id;
	});
	it('refuses unknown products and empty orders with field messages', async () => {
		const e = await fail(createOrder(database.db, ctx.member.scope, { products: [{ productId: 'nope', quantity: 1 }] }));
		expect(e?.fields).toEqual({ 'products.0.productId': 'money.unknown_product' });
		expect((await fail(createOrder(database.db, ctx.member.scope, {})))?.fields).toHaveProperty('products');
		expect((await fail(createOrder(database.db, ctx.member.scope, { creditCents: 10 })))?.fields).toHaveProperty('creditCents');
	});
	it('shows an order to its buyer and staff only', async () => {
		expect((await getOrder(database.db, ctx.member.scope, ids.order1)).id).toBe(ids.order1);
		expect((await getOrder(database.db, ctx.staff.scope, ids.order1)).lines).toHaveLength(3);
		expect((await fail(getOrder(database.db, ctx.other.scope, ids.order1)))?.code).toBe('not_found');
		expect((await fail(listOrders(database.db, ctx.member.scope)))?.code).toBe('forbidden');
	});
	it('staff record a card payment: one receipt with VAT per line, hour pack credited, order paid once', async () => {
		expect((await fail(recordOrderPayment(database.db, ctx.member.scope, ids.order1, { method: 'cash' })))?.code).toBe('forbidden');
		expect((await fail(recordOrderPayment(database.db, ctx.staff.scope, ids.order1, { method: 'bitcoin' as never })))?.code).toBe('invalid_input');
		const { order, receipt: r } = await recordOrderPayment(database.db, ctx.staff.scope, ids.order1, { method: 'card' });
		expect(order).toMatchObject({ status: 'paid', provider: 'onsite', paymentMethod: 'card', receiptId: r.id });
		expect(r.payments).toEqual([{ method: 'card', amountCents: 21450 }]);
		expect(r.totals).toEqual([
			{ rateBp: 1000, outsideScope: false, htCents: 909, vatCents: 91, ttcCents: 1000 },
			{ rateBp: 2000, outsideScope: false, htCents: 17042, vatCents: 3408, ttcCents: 20450 }
		]);
		expect(await walletBalances(database.db, ids.place, ids.member)).toEqual({ cents: 0, minutes: 600 });
		expect(await ledgerSum(database.db, ids.place, ids.member, 'minutes')).toBe(600);
		const again = await fail(recordOrderPayment(database.db, ctx.staff.scope, ids.order1, { method: 'cash' }));
		expect(again?.code).toBe('conflict');
		expect((await verifyLedger(database.db, ids.place)).ok).toBe(true);
	});
	it('the database refuses to move a paid order back, change its total or delete it', async () => {
		await expect(database.exec(`UPDATE checkout_order SET status = 'pending', paid_at = NULL, receipt_id = NULL WHERE id = '${ids.order1}'`)).rejects.toThrow(/final/);
		await expect(database.exec(`UPDATE checkout_order SET total_cents = 1 WHERE id = '${ids.order1}'`)).rejects.toThrow(/immutable/);
		await expect(database.exec(`DELETE FROM checkout_order WHERE id = '${ids.order1}'`)).rejects.toThrow(/cannot be deleted/);
		await expect(database.exec(`UPDATE checkout_order_line SET unit_price_cents = 0 WHERE order_id = '${ids.order1}'`)).rejects.toThrow(/append-only/);
		// "paid" needs its receipt (check constraint)
		const o = await openSeatOrder();
		await expect(database.exec(`UPDATE checkout_order SET status = 'paid' WHERE id = '${o.id}'`)).rejects.toThrow();
		await cancelOrder(database.db, ctx.member.scope, o.id);
	});
	it('two staff recording the same payment at once: one receipt, the other gets a conflict', async () => {
		const o = await createOrder(database.db, ctx.member.scope, { products: [{ productId: ids.beer, quantity: 2 }] });
		const before = (await database.db.select().from(receipt)).length;
		const results = await Promise.allSettled(Array.from({ length: 6 }, () => recordOrderPayment(database.db, ctx.staff.scope, o.id, { method: 'cash' })));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('conflict');
		expect((await database.db.select().from(receipt)).length).toBe(before + 1);
	});
	it('prepaid credit paid on site: its receipt line is marked as a voucher (outside VAT), the hour pack is not', async () => {
		const o = await createOrder(database.db, ctx.admin.scope, { creditCents: 2500 });
		const { receipt: r } = await recordOrderPayment(database.db, ctx.staff.scope, o.id, { method: 'cash' });
		expect(r.lines).toEqual([expect.objectContaining({ totalCents: 2500, rateBp: 0, outsideScope: true, voucher: true })]);
		const [pack] = (await database.db.select().from(receipt).where(eq(receipt.kind, 'sale'))).filter((x) => x.lines.some((l) => l.label.includes('Carnet')));
		expect(pack.lines.every((l) => l.voucher === undefined)).toBe(true);
		expect((await verifyLedger(database.db, ids.place)).ok).toBe(true);
	});
	it('a buyer cancels a pending order; a cancelled order cannot be paid', async () => {
		const o = await createOrder(database.db, ctx.member.scope, { creditCents: 1000 });
		expect((await fail(cancelOrder(database.db, ctx.other.scope, o.id)))?.code).toBe('not_found');
		expect((await cancelOrder(database.db, ctx.member.scope, o.id)).status).toBe('cancelled');
		expect((await fail(recordOrderPayment(database.db, ctx.staff.scope, o.id, { method: 'cash' })))?.fields).toEqual({ _: 'checkout.already_cancelled' });
	});
});

describe('capacity-limited sellable (reserve / confirm / release)', () => {
	it('never oversells: 12 concurrent orders for 5 seats give 5 orders', async () => {
		const results = await Promise.allSettled(Array.from({ length: 12 }, () => openSeatOrder()));
		const ok = results.filter((r) => r.status === 'fulfilled');
		expect(ok).toHaveLength(5);
		for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('capacity_reached');
		expect(await stock()).toMatchObject({ held: 5, sold: 0 });
		ids.seatOrders = ok.map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id).join(',');
	});
	it('confirm on payment, release on cancel, on failure and on expiry', async () => {
		const [a, b, c, d] = ids.seatOrders.split(',');
		await recordOrderPayment(database.db, ctx.staff.scope, a, { method: 'cash' });
		expect(await stock()).toMatchObject({ held: 4, sold: 1 });
		await cancelOrder(database.db, ctx.staff.scope, b);
		expect(await stock()).toMatchObject({ held: 3, sold: 1 });
		expect((await applyProviderEvent(database.db, { provider: 'stripe', eventId: 'evt_fail_c', type: 'checkout.session.async_payment_failed', orderId: c, outcome: 'failed' })).result).toBe('released');
		expect(await stock()).toMatchObject({ held: 2, sold: 1 });
		// d is read two hours later: expired on read, its seat released
		const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
		expect((await getOrder(database.db, ctx.member.scope, d, { now: later })).status).toBe('expired');
		expect(await stock()).toMatchObject({ held: 0, sold: 1 });
		// the read swept the place: nothing due is left for the periodic sweep
		expect(await expireDueOrders(database.db, { now: later })).toBe(0);
		expect(await stock()).toMatchObject({ held: 0, sold: 1 });
		const statuses = await database.db.select({ status: checkoutOrder.status }).from(checkoutOrder).where(sql`${checkoutOrder.id} IN (${sql.join(ids.seatOrders.split(',').map((x) => sql`${x}`), sql`, `)})`);
		expect(statuses.map((s) => s.status).sort()).toEqual(['cancelled', 'expired', 'expired', 'failed', 'paid']);
		expect((await fail(recordOrderPayment(database.db, ctx.staff.scope, d, { method: 'cash' })))?.code).toBe('conflict');
	});
	it('an order read after its expiry cannot be paid on site', async () => {
		const o = await openSeatOrder(1, new Date(Date.now() - 2 * 60 * 60 * 1000));
		expect((await fail(recordOrderPayment(database.db, ctx.staff.scope, o.id, { method: 'cash' })))?.fields).toEqual({ _: 'checkout.already_expired' });
		await expireDueOrders(database.db);
		expect((await getOrder(database.db, ctx.member.scope, o.id)).status).toBe('expired');
	});
});

describe('provider events', () => {
	it('pays once: replays and 20 concurrent deliveries of the same event give one paid order and one receipt', async () => {
		const o = await createOrder(database.db, ctx.member.scope, { packId: ids.credit });
		const receiptsBefore = (await database.db.select().from(receipt)).length;
		const ev = { provider: 'stripe' as const, eventId: 'evt_paid_1', type: 'checkout.session.completed', orderId: o.id, outcome: 'paid' as const, providerRef: 'cs_1', amountCents: 2000, currency: 'eur' };
		const results = await Promise.all(Array.from({ length: 20 }, () => applyProviderEvent(database.db, ev)));
		expect(results.filter((r) => r.result === 'paid')).toHaveLength(1);
		expect(results.filter((r) => r.result === 'duplicate')).toHaveLength(19);
		expect((await applyProviderEvent(database.db, ev)).result).toBe('duplicate');
		// a second, different event saying the same thing changes nothing either
		expect((await applyProviderEvent(database.db, { ...ev, eventId: 'evt_paid_1b' })).result).toBe('already_final');
		expect((await database.db.select().from(receipt)).length).toBe(receiptsBefore + 1);
		const paid = await getOrder(database.db, ctx.member.scope, o.id);
		expect(paid).toMatchObject({ status: 'paid', provider: 'stripe', providerRef: 'cs_1', paymentMethod: 'online' });
		const [r] = await database.db.select().from(receipt).where(eq(receipt.id, paid.receiptId!));
		// euro credit is a voucher: outside VAT when sold
		expect(r.totals).toEqual([{ rateBp: 0, outsideScope: true, htCents: 2000, vatCents: 0, ttcCents: 2000 }]);
		expect(r.payments).toEqual([{ method: 'online', amountCents: 2000 }]);
		expect((await walletBalances(database.db, ids.place, ids.member)).cents).toBe(2000);
	});
	it('refuses a payment of the wrong amount or currency (order stays pending, audited)', async () => {
		const o = await createOrder(database.db, ctx.member.scope, { creditCents: 1500 });
		const base = { provider: 'stripe' as const, type: 'checkout.session.completed', orderId: o.id, outcome: 'paid' as const };
		expect((await applyProviderEvent(database.db, { ...base, eventId: 'evt_amt', amountCents: 1, currency: 'eur' })).result).toBe('amount_mismatch');
		expect((await applyProviderEvent(database.db, { ...base, eventId: 'evt_cur', amountCents: 1500, currency: 'usd' })).result).toBe('amount_mismatch');
		expect((await getOrder(database.db, ctx.member.scope, o.id)).status).toBe('pending');
		const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.targetId, o.id), eq(auditLog.action, 'money.payment_amount_mismatch')));
		expect(audits).toHaveLength(2);
		// an expiry of an older checkout session does not end the order being paid through a newer one
		await database.exec(`UPDATE checkout_order SET provider = 'stripe', provider_ref = 'cs_new' WHERE id = '${o.id}'`);
		expect((await applyProviderEvent(database.db, { provider: 'stripe', eventId: 'evt_old_exp', type: 'checkout.session.expired', orderId: o.id, outcome: 'expired', providerRef: 'cs_old' })).result).toBe('stale_checkout');
		expect((await applyProviderEvent(database.db, { provider: 'stripe', eventId: 'evt_exp', type: 'checkout.session.expired', orderId: o.id, outcome: 'expired', providerRef: 'cs_new' })).result).toBe('released');
		expect((await getOrder(database.db, ctx.member.scope, o.id)).status).toBe('expired');
		// money arriving after the end is flagged, never turns the order back
		expect((await applyProviderEvent(database.db, { ...base, eventId: 'evt_late', amountCents: 1500, currency: 'eur' })).result).toBe('late_payment');
		expect((await getOrder(database.db, ctx.member.scope, o.id)).status).toBe('expired');
		expect((await applyProviderEvent(database.db, { ...base, eventId: 'evt_x', orderId: 'does-not-exist', amountCents: 1, currency: 'eur' })).result).toBe('unknown_order');
	});
});

describe('paying with the wallet', () => {
	it('spends euro credit for products (receipt by wallet, VAT now) and refuses an overdraft', async () => {
		await refundAsCredit(database.db, ctx.admin.scope, { email: 'other@checkout.test', amountCents: 1000, reason: 'Atelier annulé' });
		const o = await createOrder(database.db, ctx.other.scope, { products: [{ productId: ids.soup, quantity: 2 }] });
		const { order, receipt: r } = await payOrderWithWallet(database.db, ctx.other.scope, o.id);
		expect(order).toMatchObject({ status: 'paid', paymentMethod: 'wallet' });
		expect(r.payments).toEqual([{ method: 'wallet', amountCents: 1000 }]);
		expect(r.totals[0]).toMatchObject({ rateBp: 1000, ttcCents: 1000 });
		expect((await walletBalances(database.db, ids.place, ids.other)).cents).toBe(0);
		const o2 = await createOrder(database.db, ctx.other.scope, { products: [{ productId: ids.beer, quantity: 1 }] });
		const e = await fail(payOrderWithWallet(database.db, ctx.other.scope, o2.id));
		expect(e?.code).toBe('conflict');
		expect(e?.fields).toEqual({ amount: 'wallet.insufficient' });
		expect((await getOrder(database.db, ctx.other.scope, o2.id)).status).toBe('pending');
		const o3 = await createOrder(database.db, ctx.other.scope, { creditCents: 500 });
		expect((await fail(payOrderWithWallet(database.db, ctx.other.scope, o3.id)))?.fields).toEqual({ _: 'checkout.credit_with_credit' });
	});
});
