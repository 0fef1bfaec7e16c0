// Materials declared at check-out, billed through the checkout (issue #4, ADR 014), on both engines: one pending
// order per check-out with a line per priced material at the person's audience, nothing for free text or unpriced
// products, nothing written when the check-out is refused, one bill even for two simultaneous check-outs (real
// concurrency on PostgreSQL), and a debt that neither lapses nor can be cancelled by the person who owes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { auditLog, booking, bookingMaterial, bookingSlot, checkoutOrder, checkoutOrderLine, productPrice } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { newId } from '../../server/ids';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { insertProduct } from '../money/commands.server';
import { machineSpace } from '../../../../tests/helpers/booking';
import { applyProviderEvent, cancelOrder, expireDueOrders, getOrder, listOrders, recordOrderPayment } from '../money/checkout.server';
import { checkIn, checkOut } from './operations.server';
import { MATERIAL_SELLABLE, materialOrdersOf } from './materials.server';
import { localMinutesToUtc } from './hours';

let database: Database;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};
const tz = 'Europe/Paris';
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);
let day = 0;

/** A confirmed booking of the laser for a person, checked in at its start; returns its id and its end. */
async function checkedInBooking(userId: string) {
	day++;
	const date = `2026-06-${String(day).padStart(2, '0')}`;
	const start = localMinutesToUtc(date, 600, tz);
	const end = localMinutesToUtc(date, 720, tz);
	const id = newId();
	await database.db.transaction(async (tx) => {
		await tx.insert(booking).values({ id, placeId: ids.placeA, resourceId: ids.laser, userId, kind: 'booking', status: 'confirmed', startsAt: start, endsAt: end });
		await tx.insert(bookingSlot).values({ bookingId: id, placeId: ids.placeA, resourceId: ids.laser, startsAt: start, endsAt: end });
	});
	await checkIn(database.db, ctx.staff.scope, id, start);
	return { id, end };
}

const ordersOf = (buyerId: string) => database.db.select().from(checkoutOrder).where(eq(checkoutOrder.buyerId, buyerId));
const materialsOf = (bookingId: string) => database.db.select().from(bookingMaterial).where(eq(bookingMaterial.bookingId, bookingId));

beforeAll(async () => {
	database = await freshDatabase({ poolSize: 8 });
	const db = database.db;
	const a = await machineSpace(database, 'fab-a', [['staff', 'staff'], ['member', 'member'], ['resident', 'resident'], ['racer', 'member']]);
	const b = await machineSpace(database, 'fab-b', [['adminB', 'admin']]);
	Object.assign(ids, a.ids, { placeA: a.placeId, placeB: b.placeId, adminB: b.ids.adminB });
	ids.visitor = (await createUserRecord(db, { email: 'visitor@mat.test', name: 'visitor', password: 'une phrase assez longue 42' })).id;
	for (const key of ['staff', 'member', 'resident', 'racer']) ctx[key] = await resolvePlace(db, 'fab-a', { id: ids[key], isOperator: false });
	ctx.adminB = await resolvePlace(db, 'fab-b', { id: ids.adminB, isOperator: false });
	const product = async (placeId: string, name: string, prices: { public: number; member?: number; resident?: number }) => (await insertProduct(db, placeId, { name, activity: 'other', vatCategory: 'service', prices })).id;
	ids.plywood = await product(a.placeId, 'Contreplaqué 3 mm', { public: 500, member: 400, resident: 300 });
	ids.acrylic = await product(a.placeId, 'Plaque acrylique', { public: 1200 });
	ids.scraps = await product(a.placeId, 'Chutes', { public: 0 });
	ids.unpriced = await product(a.placeId, 'Vis', { public: 10 });
	await db.delete(productPrice).where(eq(productPrice.productId, ids.unpriced));
	ids.productB = await product(b.placeId, 'Contreplaqué B', { public: 500 });
});
afterAll(async () => {
	await database?.close();
});

describe('billing materials at check-out', () => {
	it('opens one pending order with a line per priced material at the member’s price, linked from the materials', async () => {
		const { id, end } = await checkedInBooking(ids.member);
		const res = await checkOut(
			database.db,
			ctx.member.scope,
			id,
			{ materials: [{ productId: ids.plywood, quantity: 2 }, { productId: ids.acrylic, label: 'acrylique noire', quantity: 1 }, { label: 'Carton de récup', quantity: 3 }, { productId: ids.scraps, quantity: 1 }, { productId: ids.unpriced, quantity: 4 }] },
			end
		);
		// member price 4 € × 2, no member price for the acrylic: public 12 € × 1
		expect(res.dueCents).toBe(2000);
		expect(res.orderId).toEqual(expect.any(String));
		const order = await getOrder(database.db, ctx.member.scope, res.orderId!, { now: end });
		expect([order.status, order.totalCents, order.buyerId]).toEqual(['pending', 2000, ids.member]);
		const mats = await materialsOf(id);
		const byLabel = new Map(mats.map((m) => [m.label, m]));
		expect(order.lines.map((l) => [l.kind, l.refId, l.productId, l.label, l.quantity, l.unitPriceCents, l.vatCategory, l.activity])).toEqual([
			[MATERIAL_SELLABLE, byLabel.get('Contreplaqué 3 mm')!.id, ids.plywood, 'Contreplaqué 3 mm', 2, 400, 'service', 'machines'],
			[MATERIAL_SELLABLE, byLabel.get('acrylique noire')!.id, ids.acrylic, 'Plaque acrylique', 1, 1200, 'service', 'machines']
		]);
		// everything declared is recorded; only the priced ones point to the order
		expect(mats.map((m) => [m.label, m.quantity, m.orderId]).sort()).toEqual(
			[
				['Carton de récup', 3, null],
				['Chutes', 1, null],
				['Contreplaqué 3 mm', 2, res.orderId],
				['Vis', 4, null],
				['acrylique noire', 1, res.orderId]
			].sort()
		);
		// a material debt does not lapse like a booking's order (an hour): years ahead
		expect(order.expiresAt.getTime() - end.getTime()).toBeGreaterThan(5 * 365 * 24 * 3_600_000);
		expect(await materialOrdersOf(database.db, ctx.member.scope, [id])).toEqual([{ bookingId: id, orderId: res.orderId, status: 'pending', totalCents: 2000 }]);
		const [a] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'booking.check_out'), eq(auditLog.targetId, id)));
		expect(a.data).toMatchObject({ materials: 5, orderId: res.orderId, dueCents: 2000 });
		ids.memberOrder = res.orderId!;
		ids.memberBooking = id;
	});

	it('prices for the person’s audience when staff check them out: resident price, public price for someone without a role', async () => {
		const r = await checkedInBooking(ids.resident);
		const res = await checkOut(database.db, ctx.staff.scope, r.id, { materials: [{ productId: ids.plywood, quantity: 3 }] }, r.end);
		expect(res.dueCents).toBe(900);
		const [ro] = await ordersOf(ids.resident);
		expect([ro.id, ro.totalCents, ro.createdBy]).toEqual([res.orderId, 900, ids.staff]);
		const v = await checkedInBooking(ids.visitor);
		const pub = await checkOut(database.db, ctx.staff.scope, v.id, { materials: [{ productId: ids.plywood, quantity: 3 }] }, v.end);
		expect(pub.dueCents).toBe(1500);
		expect((await ordersOf(ids.visitor)).map((o) => [o.totalCents, o.status])).toEqual([[1500, 'pending']]);
	});

	it('bills nothing for free text, a free product or an unpriced one (recorded all the same)', async () => {
		const before = (await ordersOf(ids.member)).length;
		const { id, end } = await checkedInBooking(ids.member);
		const res = await checkOut(database.db, ctx.member.scope, id, { materials: [{ label: 'Chutes de MDF', quantity: 9999 }, { productId: ids.scraps, quantity: 2 }, { productId: ids.unpriced, quantity: 1 }] }, end);
		expect(res).toEqual({ incidentId: null, orderId: null, dueCents: 0 });
		expect((await materialsOf(id)).map((m) => [m.label, m.orderId]).sort()).toEqual(
			[
				['Chutes', null],
				['Chutes de MDF', null],
				['Vis', null]
			].sort()
		);
		expect((await ordersOf(ids.member)).length).toBe(before);
	});

	it('a check-out refused by validation writes nothing: no check-out, no material, no order', async () => {
		const before = (await ordersOf(ids.member)).length;
		const { id, end } = await checkedInBooking(ids.member);
		const tooMany = await fail(checkOut(database.db, ctx.member.scope, id, { materials: [{ productId: ids.plywood, quantity: 1 }, { productId: ids.acrylic, quantity: 1000 }] }, end));
		expect([tooMany?.code, tooMany?.fields]).toEqual(['invalid_input', { 'materials.1.quantity': 'presence.billed_quantity_max' }]);
		const otherPlace = await fail(checkOut(database.db, ctx.member.scope, id, { materials: [{ productId: ids.plywood, quantity: 1 }, { productId: ids.productB, quantity: 1 }] }, end));
		expect(otherPlace?.fields).toEqual({ 'materials.1.productId': 'presence.unknown_material' });
		const bad = await fail(checkOut(database.db, ctx.member.scope, id, { materials: [{ productId: ids.plywood, quantity: 0 }] }, end));
		expect(bad?.code).toBe('invalid_input');
		const [b] = await database.db.select().from(booking).where(eq(booking.id, id));
		expect(b.checkedOutAt).toBeNull();
		expect(await materialsOf(id)).toEqual([]);
		expect((await ordersOf(ids.member)).length).toBe(before);
		// and the same check-out, corrected, goes through
		expect((await checkOut(database.db, ctx.member.scope, id, { materials: [{ productId: ids.plywood, quantity: 1 }] }, end)).dueCents).toBe(400);
	});

	it('a second check-out is refused and bills nothing more', async () => {
		const before = (await ordersOf(ids.member)).length;
		const again = await fail(checkOut(database.db, ctx.staff.scope, ids.memberBooking, { materials: [{ productId: ids.plywood, quantity: 5 }] }, new Date()));
		expect([again?.code, again?.fields]).toEqual(['conflict', { bookingId: 'presence.already_out' }]);
		expect((await ordersOf(ids.member)).length).toBe(before);
		expect((await materialsOf(ids.memberBooking)).length).toBe(5);
	});

	it('two simultaneous check-outs of one booking give one check-out and one order', async () => {
		for (let round = 0; round < 3; round++) {
			const { id, end } = await checkedInBooking(ids.racer);
			const results = await Promise.allSettled([
				checkOut(database.db, ctx.racer.scope, id, { materials: [{ productId: ids.plywood, quantity: 1 }] }, end),
				checkOut(database.db, ctx.staff.scope, id, { materials: [{ productId: ids.acrylic, quantity: 2 }] }, end)
			]);
			const ok = results.filter((r) => r.status === 'fulfilled');
			expect(ok).toHaveLength(1);
			for (const r of results) if (r.status === 'rejected') expect([(r.reason as AppError).code, (r.reason as AppError).fields]).toEqual(['conflict', { bookingId: 'presence.already_out' }]);
			const mats = await materialsOf(id);
			expect(mats).toHaveLength(1);
			const orders = await database.db
				.selectDistinct({ id: checkoutOrder.id, total: checkoutOrder.totalCents })
				.from(checkoutOrderLine)
				.innerJoin(checkoutOrder, eq(checkoutOrder.id, checkoutOrderLine.orderId))
				.where(and(eq(checkoutOrderLine.kind, MATERIAL_SELLABLE), inArray(checkoutOrderLine.refId, mats.map((m) => m.id))));
			expect(orders).toEqual([{ id: mats[0].orderId, total: mats[0].label === 'Contreplaqué 3 mm' ? 400 : 2400 }]);
		}
		expect((await ordersOf(ids.racer)).length).toBe(3);
	});
});

describe('paying and keeping a material debt', () => {
	it('staff see it among pending orders and record it paid on site; the materials stay', async () => {
		const pending = await listOrders(database.db, ctx.staff.scope, { status: 'pending' });
		const mine = pending.find((o) => o.id === ids.memberOrder);
		expect(mine?.lines.map((l) => l.kind)).toEqual([MATERIAL_SELLABLE, MATERIAL_SELLABLE]);
		const { order, receipt } = await recordOrderPayment(database.db, ctx.staff.scope, ids.memberOrder, { method: 'card' });
		expect([order.status, receipt.totalCents]).toEqual(['paid', 2000]);
		expect((await materialsOf(ids.memberBooking)).filter((m) => m.orderId === ids.memberOrder)).toHaveLength(2);
	});

	it('the person who owes cannot cancel it; a failed payment or an expiry carries it to a new order; staff may waive it', async () => {
		const { id, end } = await checkedInBooking(ids.member);
		const first = await checkOut(database.db, ctx.member.scope, id, { materials: [{ productId: ids.plywood, quantity: 2 }, { label: 'Colle', quantity: 1 }] }, end);
		const own = await fail(cancelOrder(database.db, ctx.member.scope, first.orderId!));
		expect([own?.code, own?.fields]).toEqual(['conflict', { _: 'presence.material_debt_kept' }]);
		expect((await getOrder(database.db, ctx.member.scope, first.orderId!)).status).toBe('pending');

		// an online payment that fails ends that order, not the debt
		expect((await applyProviderEvent(database.db, { provider: 'stripe', eventId: `evt_${id}`, type: 'checkout.session.async_payment_failed', orderId: first.orderId, outcome: 'failed' })).result).toBe('released');
		expect((await getOrder(database.db, ctx.member.scope, first.orderId!)).status).toBe('failed');
		const [after] = await materialOrdersOf(database.db, ctx.member.scope, [id]);
		expect(after.orderId).not.toBe(first.orderId);
		expect([after.status, after.totalCents]).toEqual(['pending', 800]);
		const second = await getOrder(database.db, ctx.member.scope, after.orderId);
		expect(second.lines.map((l) => [l.kind, l.label, l.quantity, l.unitPriceCents])).toEqual([[MATERIAL_SELLABLE, 'Contreplaqué 3 mm', 2, 400]]);

		// even if the sweep reaches it (years later), it moves on rather than vanishing
		expect(await expireDueOrders(database.db, { placeId: ids.placeA, now: new Date(second.expiresAt.getTime() + 1000) })).toBeGreaterThanOrEqual(1);
		const [third] = await materialOrdersOf(database.db, ctx.member.scope, [id]);
		expect(third.orderId).not.toBe(second.id);
		expect([third.status, third.totalCents]).toEqual(['pending', 800]);
		expect((await materialsOf(id)).map((m) => [m.label, m.orderId]).sort()).toEqual([['Colle', null], ['Contreplaqué 3 mm', third.orderId]]);

		// staff waive it: the order is cancelled, the material stays recorded and linked to it, audited
		await cancelOrder(database.db, ctx.staff.scope, third.orderId);
		expect((await materialOrdersOf(database.db, ctx.member.scope, [id])).map((o) => [o.orderId, o.status])).toEqual([[third.orderId, 'cancelled']]);
		expect((await materialsOf(id)).length).toBe(2);
		const waived = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'booking.material_waived'), eq(auditLog.targetId, third.orderId)));
		expect(waived.map((w) => w.actorId)).toEqual([ids.staff]);
		const carried = (await database.db.select().from(auditLog).where(eq(auditLog.action, 'booking.material_carried'))).filter((c) => (c.data as { bookingId?: string }).bookingId === id);
		expect(carried.map((c) => c.targetId).sort()).toEqual([second.id, third.orderId].sort());
	});

	it('another place sees none of it', async () => {
		expect(await materialOrdersOf(database.db, ctx.adminB.scope, [ids.memberBooking])).toEqual([]);
		expect((await fail(getOrder(database.db, ctx.adminB.scope, ids.memberOrder)))?.code).toBe('not_found');
	});
});
