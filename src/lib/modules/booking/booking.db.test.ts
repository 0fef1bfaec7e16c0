// Booking commands and money (both engines): prices per audience × real duration (DST Sundays included), hour packs
// consumed first, the rest as an order line of kind 'booking' (paid -> confirmed, expired -> cancelled and freed),
// cancellations giving back minutes and credit (or a refund due), reschedule in one transaction, out of service
// cancelling overlapping bookings with credit and a mail, audit entries.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import { machineSpace, parisAt, qualify, type MachineSpace } from '../../../../tests/helpers/booking';
import type { Database } from '../../server/db/client';
import { auditLog, booking, bookingPolicy, bookingSlot, checkoutOrder, checkoutOrderLine, mailOutbox, openingRule, resource } from '../../server/db/schema';
import { newId } from '../../server/ids';
import type { AppError } from '../../server/errors';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { appendWalletEntry, ledgerSum, walletBalances } from '../money/wallet.server';
import { expireDueOrders, getOrder, recordOrderPayment } from '../money/checkout.server';
import { runJobsOnce } from '../../server/jobs';
import { cancelBooking, createBooking, putOutOfService, rescheduleBooking } from './commands.server';
import { listMyBookings, resourceWeek } from './queries.server';
import { localMinuteToUtc, mondayOf } from './rules';

let database: Database;
let S: MachineSpace;
const ctx: Record<string, PlaceContext> = {};
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);
const iso = (d: Date) => d.toISOString();

beforeAll(async () => {
	database = await freshDatabase();
	S = await machineSpace(database, 'resa', [
		['staff', 'staff'],
		['alice', 'member'],
		['bob', 'member'],
		['rita', 'resident'],
		['zoe', 'member']
	]);
	for (const who of ['alice', 'bob', 'rita', 'zoe']) await qualify(database, S.placeId, S.ids[who], S.ids.laser);
	for (const who of ['staff', 'alice', 'bob', 'rita', 'zoe']) ctx[who] = await resolvePlace(database.db, 'resa', { id: S.ids[who], isOperator: false });
}, 60_000);
afterAll(async () => {
	await database?.close();
});

const giveMinutes = (userId: string, amount: number) => database.db.transaction((tx) => appendWalletEntry(tx, { placeId: S.placeId, userId, unit: 'minutes', amount, kind: 'adjustment', actorId: null, note: 'test' }));
const laser = (who: string, s: Date, e: Date) => createBooking(database.db, ctx[who].scope, { resourceId: S.ids.laser, startsAt: iso(s), endsAt: iso(e) });

describe('prices, hour packs and orders', () => {
	it('a member pays the member price × duration through a pending order of kind booking', async () => {
		const r = await laser('alice', parisAt(3, '10:00'), parisAt(3, '11:30'));
		expect(r.booking).toMatchObject({ status: 'pending', priceCents: 1800, walletMinutes: 0, orderId: r.orderId });
		const order = await getOrder(database.db, ctx.alice.scope, r.orderId!);
		expect(order).toMatchObject({ status: 'pending', totalCents: 1800, buyerId: S.ids.alice });
		expect(order.lines).toMatchObject([{ kind: 'booking', refId: r.booking.id, unitPriceCents: 1800, vatCategory: 'machine_time', activity: 'machines' }]);
		// paid on site: the booking is confirmed in the same transaction
		const confirmations = () => database.db.select().from(mailOutbox).where(and(eq(mailOutbox.template, 'mail.booking_confirmed'), eq(mailOutbox.to, 'alice@resa.test')));
		expect(await confirmations()).toHaveLength(0);
		await recordOrderPayment(database.db, ctx.staff.scope, r.orderId!, { method: 'card' });
		const [b] = await database.db.select().from(booking).where(eq(booking.id, r.booking.id));
		expect(b.status).toBe('confirmed');
		// paid, hence confirmed: the confirmation goes out with the booking's .ics
		const [mail] = await confirmations();
		expect(mail.subject).toBe('Réservation confirmée : Découpeuse laser');
		expect(mail.text).toContain('Ne jamais laisser la machine sans surveillance.');
		expect(mail.attachments).toHaveLength(1);
		expect(mail.attachments[0]).toMatchObject({ filename: 'reservation-decoupeuse-laser.ics' });
		const ics = Buffer.from(mail.attachments[0].contentBase64, 'base64').toString('utf8');
		expect(ics).toContain('BEGIN:VEVENT');
		expect(ics).toContain('STATUS:CONFIRMED');
		expect(ics).toContain(`DTSTART:${r.booking.startsAt.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
	});
	it('a resident gets the public price when the product has no resident price', async () => {
		const r = await laser('rita', parisAt(3, '14:00'), parisAt(3, '15:00'));
		expect(r.booking.priceCents).toBe(1800);
	});
	it('hour packs are used first; the rest is an order; fully covered is confirmed at once', async () => {
		await giveMinutes(S.ids.bob, 60);
		const part = await laser('bob', parisAt(4, '10:00'), parisAt(4, '11:30'));
		expect(part.booking).toMatchObject({ status: 'pending', priceCents: 1800, walletMinutes: 60 });
		expect(part.dueCents).toBe(600);
		expect((await walletBalances(database.db, S.placeId, S.ids.bob)).minutes).toBe(0);
		await giveMinutes(S.ids.bob, 120);
		const full = await laser('bob', parisAt(4, '14:00'), parisAt(4, '15:00'));
		expect(full).toMatchObject({ orderId: null, dueCents: 0, booking: { status: 'confirmed', walletMinutes: 60, orderId: null } });
		expect((await walletBalances(database.db, S.placeId, S.ids.bob)).minutes).toBe(60);
	});
	it('a free resource is confirmed immediately', async () => {
		const r = await createBooking(database.db, ctx.alice.scope, { resourceId: S.ids.cnc, startsAt: iso(parisAt(4, '10:00')), endsAt: iso(parisAt(4, '12:00')) });
		expect(r).toMatchObject({ orderId: null, booking: { status: 'confirmed', priceCents: 0 } });
		const mails = await database.db.select().from(mailOutbox).where(eq(mailOutbox.template, 'mail.booking_confirmed'));
		expect(mails.filter((m) => m.subject.includes('Fraiseuse CNC'))).toHaveLength(1);
	});
	it('an unpaid order expires through the background jobs: the booking is cancelled, its slot and minutes freed', async () => {
		await giveMinutes(S.ids.alice, 30);
		const r = await laser('alice', parisAt(5, '10:00'), parisAt(5, '11:00'));
		expect(r.booking.walletMinutes).toBe(30);
		const later = new Date(Date.now() + 2 * 3_600_000);
		const results = await runJobsOnce(database.db, later);
		expect(results.find((x) => x.name === 'orders.expire')?.count).toBeGreaterThanOrEqual(1);
		const [b] = await database.db.select().from(booking).where(eq(booking.id, r.booking.id));
		expect(b).toMatchObject({ status: 'cancelled', cancelReason: 'unpaid' });
		expect(await database.db.select().from(bookingSlot).where(eq(bookingSlot.bookingId, b.id))).toEqual([]);
		expect((await walletBalances(database.db, S.placeId, S.ids.alice)).minutes).toBe(30);
		expect(await expireDueOrders(database.db, { now: later })).toBe(0);
	});
});

describe('daylight saving Sundays (Europe/Paris)', () => {
	beforeAll(async () => {
		await database.db.update(resource).set({ maxAdvanceDays: 730 }).where(eq(resource.id, S.ids.laser));
	});
	afterAll(async () => {
		// back to the place's hours for the next tests
		await database.db.delete(openingRule).where(eq(openingRule.resourceId, S.ids.laser));
	});
	it('01:00–04:00 on 28 March 2027 lasts 2 h and costs 2 h; on 31 October 2027 it lasts 4 h', async () => {
		await database.db.insert(openingRule).values({ id: newId(), placeId: S.placeId, resourceId: S.ids.laser, weekday: 7, opensMin: 0, closesMin: 1440 });
		const spring = await laser('alice', localMinuteToUtc('2027-03-28', 60, 'Europe/Paris'), localMinuteToUtc('2027-03-28', 240, 'Europe/Paris'));
		expect([iso(spring.booking.startsAt), iso(spring.booking.endsAt), spring.booking.priceCents]).toEqual(['2027-03-28T00:00:00.000Z', '2027-03-28T02:00:00.000Z', 2400]);
		const autumn = await laser('alice', localMinuteToUtc('2027-10-31', 60, 'Europe/Paris'), localMinuteToUtc('2027-10-31', 240, 'Europe/Paris'));
		expect([iso(autumn.booking.startsAt), iso(autumn.booking.endsAt), autumn.booking.priceCents]).toEqual(['2027-10-30T23:00:00.000Z', '2027-10-31T03:00:00.000Z', 4800]);
		// the laser's own Sunday hours replace the place's: a weekday keeps 08:00–20:00
		const err = await fail(laser('alice', localMinuteToUtc('2027-03-29', 60, 'Europe/Paris'), localMinuteToUtc('2027-03-29', 120, 'Europe/Paris')));
		expect(err?.code).toBe('closed');
	});
	it('the week grid of the spring change has no 02:00 row on Sunday', async () => {
		const r = (await database.db.select().from(resource).where(eq(resource.id, S.ids.laser)))[0];
		const g = await resourceWeek(database.db, ctx.alice.scope, r, mondayOf('2027-03-28'), new Date());
		const sunday = g.days[6];
		expect(sunday.cells[g.rows.indexOf(120)]).toBeNull();
		expect(sunday.cells[g.rows.indexOf(60)]?.state).toBe('booked');
		expect(sunday.cells[g.rows.indexOf(240)]?.state).toBe('free');
	});
});

describe('cancelling', () => {
	it('a paid booking cancelled in time gives back its cents as credit and its minutes', async () => {
		await giveMinutes(S.ids.alice, 30);
		const before = await walletBalances(database.db, S.placeId, S.ids.alice);
		const r = await laser('alice', parisAt(6, '10:00'), parisAt(6, '11:00'));
		await recordOrderPayment(database.db, ctx.staff.scope, r.orderId!, { method: 'cash' });
		const out = await cancelBooking(database.db, ctx.alice.scope, r.booking.id);
		expect(out).toMatchObject({ minutesBack: 30, creditCents: 600, refundDueCents: 0, booking: { status: 'cancelled', cancelReason: 'member' } });
		const after = await walletBalances(database.db, S.placeId, S.ids.alice);
		expect([after.minutes - before.minutes, after.cents - before.cents]).toEqual([0, 600]);
		const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.targetId, r.booking.id), eq(auditLog.action, 'booking.cancel')));
		expect(audits).toHaveLength(1);
	});
	it('cancelling a pending booking cancels its order', async () => {
		const r = await laser('alice', parisAt(6, '14:00'), parisAt(6, '15:00'));
		await cancelBooking(database.db, ctx.alice.scope, r.booking.id);
		const [o] = await database.db.select().from(checkoutOrder).where(eq(checkoutOrder.id, r.orderId!));
		expect(o.status).toBe('cancelled');
		// paying it afterwards is refused
		expect((await fail(recordOrderPayment(database.db, ctx.staff.scope, r.orderId!, { method: 'cash' })))?.code).toBe('conflict');
	});
	it('with the refund policy, paid cents are recorded as a refund due, not credited', async () => {
		await database.db.insert(bookingPolicy).values({ placeId: S.placeId, cancelRefund: 'refund' });
		const r = await laser('bob', parisAt(6, '16:00'), parisAt(6, '17:00'));
		if (r.orderId) await recordOrderPayment(database.db, ctx.staff.scope, r.orderId, { method: 'card' });
		const cents = (await walletBalances(database.db, S.placeId, S.ids.bob)).cents;
		const out = await cancelBooking(database.db, ctx.bob.scope, r.booking.id);
		expect(out.creditCents).toBe(0);
		expect(out.refundDueCents).toBe(r.dueCents);
		expect((await walletBalances(database.db, S.placeId, S.ids.bob)).cents).toBe(cents);
		await database.db.delete(bookingPolicy).where(eq(bookingPolicy.placeId, S.placeId));
	});
	it('someone else’s booking is not found; after the deadline only staff may cancel', async () => {
		const r = await createBooking(database.db, ctx.alice.scope, { resourceId: S.ids.cnc, startsAt: iso(parisAt(7, '10:00')), endsAt: iso(parisAt(7, '11:00')) });
		expect((await fail(cancelBooking(database.db, ctx.bob.scope, r.booking.id)))?.code).toBe('not_found');
		const late = new Date(r.booking.startsAt.getTime() - 3_600_000);
		expect((await fail(cancelBooking(database.db, ctx.alice.scope, r.booking.id, { now: late })))?.fields).toEqual({ _: 'booking.too_late' });
		expect((await cancelBooking(database.db, ctx.staff.scope, r.booking.id, { now: late })).booking.cancelReason).toBe('staff');
	});
});

describe('rescheduling', () => {
	it('moves a booking in one transaction: the old one cancelled, the new one replacing it', async () => {
		const r = await createBooking(database.db, ctx.bob.scope, { resourceId: S.ids.cnc, startsAt: iso(parisAt(8, '10:00')), endsAt: iso(parisAt(8, '11:00')) });
		const moved = await rescheduleBooking(database.db, ctx.bob.scope, r.booking.id, { startsAt: iso(parisAt(8, '10:30')), endsAt: iso(parisAt(8, '11:30')) });
		expect(moved.booking).toMatchObject({ replacesId: r.booking.id, status: 'confirmed', userId: S.ids.bob });
		const [old] = await database.db.select().from(booking).where(eq(booking.id, r.booking.id));
		expect(old).toMatchObject({ status: 'cancelled', cancelReason: 'rescheduled' });
	});
	it('a paid booking moved to a time its credit covers is paid with that credit at once; a dearer time stays to pay', async () => {
		// (zoe has no hour pack: the time is paid in cents)
		const before = await walletBalances(database.db, S.placeId, S.ids.zoe);
		const r = await laser('zoe', parisAt(10, '10:00'), parisAt(10, '11:00'));
		await recordOrderPayment(database.db, ctx.staff.scope, r.orderId!, { method: 'card' });
		const moved = await rescheduleBooking(database.db, ctx.zoe.scope, r.booking.id, { startsAt: iso(parisAt(10, '14:00')), endsAt: iso(parisAt(10, '15:00')) });
		expect(moved).toMatchObject({ dueCents: 0, booking: { status: 'confirmed', replacesId: r.booking.id } });
		expect(moved.orderId).not.toBe(r.orderId);
		expect(await getOrder(database.db, ctx.zoe.scope, moved.orderId!)).toMatchObject({ status: 'paid', provider: 'wallet', totalCents: r.dueCents });
		// the credit given back for the old time paid the new one: the balance is where it was
		expect((await walletBalances(database.db, S.placeId, S.ids.zoe)).cents).toBe(before.cents);
		const mails = await database.db.select().from(mailOutbox).where(and(eq(mailOutbox.template, 'mail.booking_confirmed'), eq(mailOutbox.to, 'zoe@resa.test')));
		expect(mails.filter((m) => m.text.includes(moved.booking.id))).toHaveLength(1);
		// twice as long: the credit (one hour) does not cover it, the new booking waits for its payment and the credit stays
		const longer = await rescheduleBooking(database.db, ctx.zoe.scope, moved.booking.id, { startsAt: iso(parisAt(10, '16:00')), endsAt: iso(parisAt(10, '18:00')) });
		expect(longer).toMatchObject({ dueCents: 2 * r.dueCents, booking: { status: 'pending' } });
		expect(await getOrder(database.db, ctx.zoe.scope, longer.orderId!)).toMatchObject({ status: 'pending', totalCents: 2 * r.dueCents });
		expect((await walletBalances(database.db, S.placeId, S.ids.zoe)).cents).toBe(before.cents + r.dueCents);
	});
	it('a refused new time changes nothing', async () => {
		const r = await createBooking(database.db, ctx.bob.scope, { resourceId: S.ids.cnc, startsAt: iso(parisAt(8, '14:00')), endsAt: iso(parisAt(8, '15:00')) });
		await createBooking(database.db, ctx.alice.scope, { resourceId: S.ids.cnc, startsAt: iso(parisAt(8, '16:00')), endsAt: iso(parisAt(8, '17:00')) });
		expect((await fail(rescheduleBooking(database.db, ctx.bob.scope, r.booking.id, { startsAt: iso(parisAt(8, '16:00')), endsAt: iso(parisAt(8, '17:00')) })))?.code).toBe('slot_taken');
		expect((await fail(rescheduleBooking(database.db, ctx.bob.scope, r.booking.id, { startsAt: iso(parisAt(8, '19:00')), endsAt: iso(parisAt(8, '21:00')) })))?.code).toBe('closed');
		const [b] = await database.db.select().from(booking).where(eq(booking.id, r.booking.id));
		expect(b.status).toBe('confirmed');
		expect(await database.db.select().from(bookingSlot).where(eq(bookingSlot.bookingId, r.booking.id))).toHaveLength(1);
	});
});

describe('out of service', () => {
	it('cancels the overlapping bookings (a room booking too) with credit and a mail to each person', async () => {
		const paid = await laser('alice', parisAt(9, '10:00'), parisAt(9, '11:00'));
		await recordOrderPayment(database.db, ctx.staff.scope, paid.orderId!, { method: 'card' });
		const room = await createBooking(database.db, ctx.bob.scope, { resourceId: S.ids.room, startsAt: iso(parisAt(9, '14:00')), endsAt: iso(parisAt(9, '15:00')) });
		const other = await createBooking(database.db, ctx.bob.scope, { resourceId: S.ids.cnc, startsAt: iso(parisAt(9, '10:00')), endsAt: iso(parisAt(9, '11:00')) });
		const cents = (await walletBalances(database.db, S.placeId, S.ids.alice)).cents;
		expect((await fail(putOutOfService(database.db, ctx.alice.scope, { resourceId: S.ids.laser, startsAt: iso(parisAt(9, '08:00')), endsAt: iso(parisAt(9, '20:00')), reason: 'tube laser' })))?.code).toBe('forbidden');
		const out = await putOutOfService(database.db, ctx.staff.scope, { resourceId: S.ids.laser, startsAt: iso(parisAt(9, '08:00')), endsAt: iso(parisAt(9, '20:00')), reason: 'tube laser à changer' });
		expect(out.cancelled.sort()).toEqual([paid.booking.id, room.booking.id].sort());
		const [cnc] = await database.db.select().from(booking).where(eq(booking.id, other.booking.id));
		expect(cnc.status).toBe('confirmed');
		expect((await walletBalances(database.db, S.placeId, S.ids.alice)).cents).toBe(cents + paid.dueCents);
		expect(paid.dueCents).toBeGreaterThan(0);
		const mails = await database.db.select().from(mailOutbox).where(eq(mailOutbox.template, 'mail.booking_outage'));
		expect(mails.map((m) => m.to).sort()).toEqual(['alice@resa.test', 'bob@resa.test']);
		expect(mails[0].subject).toMatch(/Découpeuse laser/);
		expect(mails.find((m) => m.to === 'alice@resa.test')!.text).toMatch(/tube laser à changer/);
		// and the laser cannot be booked then
		expect((await fail(laser('alice', parisAt(9, '16:00'), parisAt(9, '17:00'))))?.code).toBe('out_of_service');
		// the person sees why: the outage's reason on their cancelled booking; a booking of the CNC is not concerned
		const mine = (await listMyBookings(database.db, ctx.alice.scope)).find((b) => b.id === paid.booking.id);
		expect(mine).toMatchObject({ status: 'cancelled', cancelReason: 'maintenance', outageReason: 'tube laser à changer' });
		const bobs = await listMyBookings(database.db, ctx.bob.scope);
		expect(bobs.find((b) => b.id === room.booking.id)?.outageReason).toBe('tube laser à changer');
		expect(bobs.find((b) => b.id === other.booking.id)?.outageReason).toBeNull();
	});
});

describe('racing writers on the same bookings', () => {
	it('cancels, an outage and the expiry of the unpaid orders at once: no deadlock, every booking cancelled once, minutes back once', async () => {
		// 45 minutes of hour packs: the first booking is covered, the second partly, the others wait for payment.
		const had = (await walletBalances(database.db, S.placeId, S.ids.bob)).minutes;
		if (had !== 45) await giveMinutes(S.ids.bob, 45 - had);
		const before = (await walletBalances(database.db, S.placeId, S.ids.bob)).minutes;
		const made = [];
		for (let i = 0; i < 6; i++) made.push(await laser('bob', parisAt(15, `${String(9 + i).padStart(2, '0')}:00`), parisAt(15, `${String(9 + i).padStart(2, '0')}:30`)));
		const spent = made.reduce((n, m) => n + m.booking.walletMinutes, 0);
		expect(spent).toBeGreaterThan(0);
		expect(made.filter((m) => m.orderId).length).toBeGreaterThanOrEqual(4);
		const later = new Date(Date.now() + 2 * 3_600_000);
		const results = await Promise.allSettled([
			putOutOfService(database.db, ctx.staff.scope, { resourceId: S.ids.laser, startsAt: iso(parisAt(15, '08:00')), endsAt: iso(parisAt(15, '20:00')), reason: 'course des verrous' }),
			expireDueOrders(database.db, { now: later }),
			...made.map((m) => cancelBooking(database.db, ctx.bob.scope, m.booking.id))
		]);
		for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('conflict');
		for (const m of made) {
			const [b] = await database.db.select().from(booking).where(eq(booking.id, m.booking.id));
			expect(b.status).toBe('cancelled');
		}
		expect((await walletBalances(database.db, S.placeId, S.ids.bob)).minutes).toBe(before);
		expect(await ledgerSum(database.db, S.placeId, S.ids.bob, 'minutes')).toBe(before);
	});
});

describe('reads', () => {
	it('my bookings list only the caller’s own', async () => {
		const mine = await listMyBookings(database.db, ctx.alice.scope);
		expect(mine.length).toBeGreaterThan(3);
		expect(mine.every((b) => b.userId === S.ids.alice)).toBe(true);
		expect(mine[0].resourceName).toBeTruthy();
	});
	it('order lines and bookings agree', async () => {
		const lines = await database.db.select().from(checkoutOrderLine).where(eq(checkoutOrderLine.kind, 'booking'));
		expect(lines.length).toBeGreaterThan(3);
		for (const l of lines) {
			const [b] = await database.db.select().from(booking).where(eq(booking.id, l.refId!));
			expect(b.orderId).toBe(l.orderId);
		}
	});
});
