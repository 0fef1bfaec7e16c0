// Booking commands of the machine space (decision 013): book, cancel, move, put out of service. One transaction per
// use case with its audit entry. Booking locks every resource it will occupy (advisory locks, sorted) before it
// reads anything, so racing bookings of one machine queue instead of deadlocking; the exclusion constraint on
// booking_slot stays the last line of defence (23P01 -> slot_taken).
import { and, eq, inArray, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db, Tx } from '../../server/db/client';
import { auditLog, booking, bookingPolicy, bookingSlot, bookingWaitlist, checkoutOrder, checkoutOrderLine, mailOutbox, place, placeMember, qualification, resource, resourceOutage, user, wallet, type Audience } from '../../server/db/schema';
import { AppError, toAppError } from '../../server/errors';
import { audit, auditValues, type AuditEntry } from '../../server/audit';
import { newId } from '../../server/ids';
import { executeCached, ph, placeholdersOf } from '../../server/db/prepared';
import { parseInput } from '../../server/validation';
import { kickOutbox, outboxValues, queueMail } from '../../server/mail';
import { formatDateTime, isLocale } from '../../i18n';
import { can, requireMember, requirePermission, type PlaceScope } from '../places/policy';
import { validQualificationWhere } from '../trainings/qualifications.server';
import { heldByOfferWhere, markOfferTakenQuery, offerFreedSlot } from './waitlist.server';
import { confirmationMail, mailBookingConfirmation } from './confirmation.server';
import { audienceOf } from './pricing.server';
import { registerSellable } from '../money/checkout-registry.server';
import { cancelOrderInTx, openOrder, payOrderWithWalletInTx } from '../money/checkout.server';
import { appendWalletEntry, spendMinutes } from '../money/wallet.server';
import { bookableOf, calendarFrom, calendarShape, calendarSql, calendarValues, findResource, lockedResource, lockResources, occupiedResourceIds, slotOverlaps, type BookingRow, type CalendarRow, type Resource } from './queries.server';
import { bookingInput, cancelDeadline, checkSlot, durationMinutes, outageInput, rescheduleInput, splitPayment, type BookingCalendar, type BookingInput, type Interval, type OutageInput, type RescheduleInput } from './rules';

/** The sellable kind of a booking's order line. */
export const BOOKING_SELLABLE = 'booking';

export interface BookingResult {
	booking: BookingRow;
	/** The order to pay (pending) when the booking is not fully covered by hour packs; null otherwise. */
	orderId: string | null;
	dueCents: number;
}

/** Runs a command's transaction, then sends the mails it queued without waiting for the mail job (kickOutbox). */
async function withMails<T>(db: Db, run: (tx: Tx) => Promise<T>): Promise<T> {
	const out = await db.transaction(run);
	kickOutbox(db);
	return out;
}

/** Locks checkout orders (sorted) before the bookings they pay are locked (see lockForChange). */
async function lockOrders(tx: Tx, ids: string[]): Promise<void> {
	const sorted = [...new Set(ids)].sort();
	if (sorted.length) await tx.select({ id: checkoutOrder.id }).from(checkoutOrder).where(inArray(checkoutOrder.id, sorted)).orderBy(checkoutOrder.id).for('update');
}

/** Hour-pack balance of a person, read under the wallet row's lock (the spend that follows cannot fail on it). */
async function lockedMinutes(tx: Tx, placeId: string, userId: string): Promise<number> {
	const [w] = await tx
		.select({ balance: wallet.balance })
		.from(wallet)
		.where(and(eq(wallet.placeId, placeId), eq(wallet.userId, userId), eq(wallet.unit, 'minutes')))
		.for('update');
	return w?.balance ?? 0;
}

interface BookInTx {
	scope: PlaceScope;
	input: ReturnType<typeof bookingInput.parse>;
	now: Date;
	replacesId?: string | null;
	/** The person booked for (resolved by the caller). */
	userId: string | null;
	staff: boolean;
	/** The audit entry of the change, given the booking written and its order. */
	auditOf: (b: BookingRow, orderId: string | null) => AuditEntry;
}

/** What a booking checks, read in ONE statement right after the locks (see bookingContext). */
interface BookingContext {
	cal: BookingCalendar;
	held: boolean;
	qualified: boolean;
	person: { email: string; name: string; locale: string | null } | null;
	roleKey: string | null;
	prices: Array<{ audience: Audience; cents: number; productId: string; name: string; vat: string }> | null;
	place: { name: string; slug: string; address: string; timezone: string };
}

/**
 * Everything a booking reads under its locks, in one round trip: the calendar (calendarSql), an offer holding the
 * slot for someone else, the person's qualification, name, e-mail and role (audience), the hour prices of the
 * resource's product, and the place (for the confirmation mail).
 */
async function bookingContext(tx: Tx, scope: PlaceScope, r: Resource, occupied: string[], req: Interval, userId: string | null, kind: 'booking' | 'block', now: Date): Promise<BookingContext> {
	const forPerson = kind === 'booking' && userId !== null;
	const checkHeld = kind === 'booking';
	const checkQualified = forPerson && r.requiresQualification;
	const readPrices = forPerson && r.productId !== null;
	const cal = calendarShape(r, occupied);
	// why: built once per shape (the flags above and the calendar's), bound with this booking's values.
	const key = `bookingContext:${checkHeld}.${userId !== null}.${checkQualified}.${readPrices}.${cal.key}`;
	const res = await executeCached(
		tx,
		key,
		() => {
			const [p, rid, start, end, uid] = [ph('p'), ph('rid'), ph<Date>('start'), ph<Date>('end'), ph('uid')];
			const held = checkHeld ? sql`EXISTS (${tx.select({ one: sql`1` }).from(bookingWaitlist).where(heldByOfferWhere(p, rid, start, end, userId === null ? null : uid, ph<Date>('now')))})` : sql`false`;
			const qualified = checkQualified ? sql`EXISTS (${tx.select({ one: sql`1` }).from(qualification).where(validQualificationWhere(p, uid, rid, start))})` : sql`true`;
			return sql`SELECT
		(SELECT coalesce(json_agg(cal_row), '[]') FROM (${calendarSql(cal)}) cal_row) AS cal,
		${held} AS held,
		${qualified} AS qualified,
		(SELECT json_build_object('email', u.email, 'name', u.name, 'locale', u.locale) FROM "user" u WHERE u.id = ${uid}) AS person,
		(SELECT ro.key FROM place_member pm JOIN role ro ON ro.id = pm.role_id WHERE pm.place_id = ${p} AND pm.user_id = ${uid}) AS role_key,
		${
			readPrices
				? sql`(SELECT json_agg(json_build_object('audience', pp.audience, 'cents', pp.amount_cents, 'productId', pr.id, 'name', pr.name, 'vat', pr.vat_category))
			FROM product pr JOIN product_price pp ON pp.product_id = pr.id AND pp.place_id = pr.place_id WHERE pr.place_id = ${p} AND pr.id = ${ph('product')})`
				: sql`NULL::json`
		} AS prices,
		(SELECT json_build_object('name', pl.name, 'slug', pl.slug, 'address', pl.address, 'timezone', pl.timezone) FROM place pl WHERE pl.id = ${p}) AS place`;
		},
		{
			p: scope.placeId,
			rid: r.id,
			start: req.start.toISOString(),
			end: req.end.toISOString(),
			uid: userId,
			now: now.toISOString(),
			product: r.productId,
			...calendarValues(scope.placeId, scope.timezone, r, occupied, req)
		}
	);
	const row = res.rows[0];
	const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
	return {
		cal: calendarFrom(json<CalendarRow[]>(row.cal), scope.timezone),
		held: row.held === true,
		qualified: row.qualified === true,
		person: json(row.person),
		roleKey: (row.role_key as string | null) ?? null,
		prices: json(row.prices),
		place: json(row.place)
	};
}

/**
 * The booking itself, inside the caller's transaction, in few round trips: (1) the resource, what it occupies and the
 * locks on those; (2) everything the checks read (bookingContext); (3) one statement writing the booking, its
 * occupancy rows, the waiting-list entry it takes, the confirmation mail and the audit entry. A booking with
 * something to pay also spends hour packs and opens its order (the order's sellable reads the booking row first).
 */
async function bookInTx(tx: Tx, o: BookInTx): Promise<BookingResult> {
	const { scope, input, now } = o;
	const found = await lockedResource(tx, scope.placeId, input.resourceId);
	const r = found?.r;
	if (!found || !r || !r.active || (!r.bookable && !o.staff)) throw new AppError('not_found', { detail: 'resource', fields: { resourceId: 'booking.unknown_resource' } });
	const occupied = found.occupied;
	const req: Interval = { start: new Date(input.startsAt), end: new Date(input.endsAt) };
	const ctx = await bookingContext(tx, scope, r, occupied, req, o.userId, input.kind, now);
	const problem = checkSlot(req, ctx.cal, bookableOf(r), { now, staff: o.staff, block: input.kind === 'block' });
	if (problem) throw new AppError(problem.code, problem.field ? { fields: { [problem.field]: problem.key } } : {});
	if (!ctx.qualified) throw new AppError('not_qualified', { fields: { resourceId: 'booking.not_qualified' }, detail: r.name });
	// why: a freed slot offered to the first person waiting is theirs until the offer lapses (staff may still block it).
	if (ctx.held) throw new AppError('slot_taken', { fields: { startsAt: 'waitlist.held' } });

	const minutes = durationMinutes(req);
	const id = newId();
	let priceCents = 0;
	let walletMinutes = 0;
	let dueCents = 0;
	let product: { id: string; name: string; vatCategory: string } | null = null;
	if (ctx.prices?.length && o.userId) {
		const audience = audienceOf(ctx.roleKey);
		const hit = ctx.prices.find((x) => x.audience === audience) ?? ctx.prices.find((x) => x.audience === 'public');
		const hour = hit?.cents ?? 0;
		product = { id: ctx.prices[0].productId, name: ctx.prices[0].name, vatCategory: ctx.prices[0].vat };
		const balance = hour > 0 ? await lockedMinutes(tx, scope.placeId, o.userId) : 0;
		({ priceCents, walletMinutes, dueCents } = splitPayment(hour, minutes, balance));
	}
	const row: BookingRow = {
		id,
		placeId: scope.placeId,
		resourceId: r.id,
		kind: input.kind,
		userId: o.userId,
		status: dueCents > 0 ? 'pending' : 'confirmed',
		startsAt: req.start,
		endsAt: req.end,
		priceCents,
		walletMinutes,
		orderId: null,
		note: input.note,
		createdBy: scope.userId,
		createdAt: now,
		cancelledAt: null,
		cancelledBy: null,
		cancelReason: null,
		replacesId: o.replacesId ?? null,
		checkedInAt: null,
		checkedOutAt: null
	};
	// why: the occupancy rows are made from the booking row the first CTE returns, so they match it by construction
	// (the slot guard trigger cannot see a booking inserted by the same statement; the foreign key checks it at the end).
	// One statement (data-modifying CTEs), built once per shape and bound with this booking's values: the exclusion
	// constraint on booking_slot still refuses an overlap (23P01).
	const b = placeholdersOf('b_', row);
	const mail = row.status === 'confirmed' && row.kind === 'booking' && ctx.person ? placeholdersOf('m_', outboxValues(confirmationMail({ b: row, person: ctx.person, resource: r, place: ctx.place }))) : null;
	// The audit entry names the order: with one to open, it is written once the order exists.
	const auditRow = dueCents === 0 ? placeholdersOf('a_', auditValues(o.auditOf(row, null))) : null;
	const occupiedValues = Object.fromEntries(occupied.map((rid, i) => ['occ' + i, rid]));
	await executeCached(
		tx,
		`bookingWrite:${occupied.length}.${o.userId !== null}|${b.shape}|${mail?.shape ?? '-'}|${auditRow?.shape ?? '-'}`,
		() => {
			const writes: SQLWrapper[] = [
				tx.insert(booking).values(b.placeholders as typeof booking.$inferInsert).returning({ id: booking.id, placeId: booking.placeId, startsAt: booking.startsAt, endsAt: booking.endsAt }),
				sql`INSERT INTO booking_slot (booking_id, place_id, resource_id, starts_at, ends_at) SELECT b.id, b.place_id, x, b.starts_at, b.ends_at FROM w0 b, unnest(ARRAY[${sql.join(
					occupied.map((_, i) => sql.placeholder('occ' + i)),
					sql`, `
				)}]::text[]) x`
			];
			if (o.userId) writes.push(markOfferTakenQuery(tx, ph('b_placeId'), ph('b_resourceId'), ph('b_userId'), ph<Date>('w_start'), ph<Date>('w_end')));
			if (mail) writes.push(tx.insert(mailOutbox).values(mail.placeholders as typeof mailOutbox.$inferInsert));
			if (auditRow) writes.push(tx.insert(auditLog).values(auditRow.placeholders as typeof auditLog.$inferInsert));
			return sql`WITH ${sql.join(writes.map((w, i) => sql`${sql.raw(`w${i}`)} AS (${w.getSQL()})`), sql`, `)} SELECT 1`;
		},
		{ ...b.values, ...mail?.values, ...auditRow?.values, ...occupiedValues, w_start: req.start.toISOString(), w_end: req.end.toISOString() }
	);
	if (walletMinutes > 0) await spendMinutes(tx, { placeId: scope.placeId, userId: o.userId!, minutes: walletMinutes, actorId: scope.userId, note: `${r.name} (${id})` });
	if (dueCents === 0) return { booking: row, orderId: null, dueCents };
	const order = await openOrder(tx, {
		placeId: scope.placeId,
		timezone: scope.timezone,
		buyerId: o.userId,
		createdBy: scope.userId,
		now,
		lines: [
			{
				kind: BOOKING_SELLABLE,
				refId: id,
				productId: product?.id ?? null,
				label: `${r.name} · ${formatDateTime(req.start, 'fr', scope.timezone)} (${minutes} min)`,
				activity: 'machines',
				quantity: 1,
				unitPriceCents: dueCents,
				vatCategory: (product?.vatCategory ?? 'machine_time') as 'machine_time',
				context: 'on_site',
				details: { bookingId: id, minutes: minutes - walletMinutes }
			}
		]
	});
	const [out] = await tx.update(booking).set({ orderId: order.id }).where(eq(booking.id, id)).returning();
	await audit(tx, o.auditOf(out, order.id));
	return { booking: out, orderId: order.id, dueCents };
}

/** Who the booking is for, and whether the caller acts as staff. Throws forbidden / invalid_input. */
async function resolveBooker(tx: Tx, scope: PlaceScope, input: { userId?: string; kind: 'booking' | 'block' }): Promise<{ userId: string | null; staff: boolean }> {
	const staff = can(scope, 'bookings.manage');
	if (input.kind === 'block') {
		requirePermission(scope, 'bookings.manage');
		return { userId: null, staff: true };
	}
	if (input.userId === undefined || input.userId === scope.userId) {
		requirePermission(scope, 'machines.book');
		return { userId: scope.userId, staff };
	}
	requirePermission(scope, 'bookings.manage');
	const [m] = await tx
		.select({ id: placeMember.userId })
		.from(placeMember)
		.where(and(eq(placeMember.placeId, scope.placeId), eq(placeMember.userId, input.userId)));
	if (!m) throw new AppError('invalid_input', { fields: { userId: 'booking.unknown_member' } });
	return { userId: input.userId, staff: true };
}

/**
 * Books a resource: a member for themself (machines.book), staff (bookings.manage) for a member of the place or as a
 * block with no person. Checks the rules (step, duration, opening hours, open access, outages), the qualification,
 * prices the time, spends hour packs first and opens an order for the rest (the booking stays pending until paid).
 */
export async function createBooking(db: Db, scope: PlaceScope, raw: BookingInput, opts: { now?: Date } = {}): Promise<BookingResult> {
	requireMember(scope);
	const input = parseInput(bookingInput, raw);
	const now = opts.now ?? new Date();
	// why: an exclusion violation (23P01) or a deadlock (40P01) that still reaches here is a taken slot (toAppError).
	try {
		return await withMails(db, async (tx) => {
			const who = await resolveBooker(tx, scope, input);
			return bookInTx(tx, {
				scope,
				input,
				now,
				userId: who.userId,
				staff: who.staff,
				auditOf: (b, orderId) => ({
					placeId: scope.placeId,
					actorId: scope.userId,
					action: input.kind === 'block' ? 'booking.block' : 'booking.create',
					targetType: 'booking',
					targetId: b.id,
					data: { resourceId: input.resourceId, userId: who.userId, startsAt: input.startsAt, endsAt: input.endsAt, priceCents: b.priceCents, walletMinutes: b.walletMinutes, orderId }
				})
			});
		});
	} catch (e) {
		throw toAppError(e);
	}
}

// ——— Cancelling ———

async function policyOf(tx: Tx, placeId: string): Promise<'credit' | 'refund'> {
	const [p] = await tx.select({ cancelRefund: bookingPolicy.cancelRefund }).from(bookingPolicy).where(eq(bookingPolicy.placeId, placeId));
	return p?.cancelRefund ?? 'credit';
}

/** What was actually paid in cents for a booking (its order line, when the order is paid). */
async function paidCents(tx: Tx, b: BookingRow): Promise<number> {
	if (!b.orderId) return 0;
	const [l] = await tx
		.select({ cents: checkoutOrderLine.unitPriceCents, qty: checkoutOrderLine.quantity, status: checkoutOrder.status })
		.from(checkoutOrderLine)
		.innerJoin(checkoutOrder, eq(checkoutOrder.id, checkoutOrderLine.orderId))
		.where(and(eq(checkoutOrderLine.orderId, b.orderId), eq(checkoutOrderLine.kind, BOOKING_SELLABLE), eq(checkoutOrderLine.refId, b.id)));
	return l && l.status === 'paid' ? l.cents * l.qty : 0;
}

export interface CancelOutcome {
	booking: BookingRow;
	minutesBack: number;
	creditCents: number;
	/** Cents paid that the place must refund by hand (policy 'refund'). */
	refundDueCents: number;
}

/**
 * Cancels a live booking row inside a transaction (frees its slots through the trigger) and gives back what was
 * paid: hour-pack minutes always; cents as wallet credit when `refund` is 'credit' (or forced), else recorded as
 * a refund due. A pending order paying it is cancelled with it.
 */
async function cancelRow(tx: Tx, b: BookingRow, o: { actorId: string | null; reason: string; now: Date; refund: 'credit' | 'refund' | 'none'; fromOrder?: boolean }): Promise<CancelOutcome> {
	if (b.status === 'cancelled') throw new AppError('conflict', { fields: { _: 'booking.already_cancelled' } });
	const cents = o.refund === 'none' ? 0 : await paidCents(tx, b);
	const [row] = await tx
		.update(booking)
		.set({ status: 'cancelled', cancelledAt: o.now, cancelledBy: o.actorId, cancelReason: o.reason })
		.where(and(eq(booking.id, b.id), inArray(booking.status, ['pending', 'confirmed'])))
		.returning();
	if (!row) throw new AppError('conflict', { fields: { _: 'booking.already_cancelled' } });
	if (b.walletMinutes > 0 && b.userId)
		await appendWalletEntry(tx, { placeId: b.placeId, userId: b.userId, unit: 'minutes', amount: b.walletMinutes, kind: 'refund_credit', actorId: o.actorId, note: `booking ${b.id}` });
	let creditCents = 0;
	let refundDueCents = 0;
	if (cents > 0 && b.userId) {
		if (o.refund === 'credit') {
			await appendWalletEntry(tx, { placeId: b.placeId, userId: b.userId, unit: 'cents', amount: cents, kind: 'refund_credit', orderId: b.orderId, actorId: o.actorId, note: `booking ${b.id}` });
			creditCents = cents;
		} else refundDueCents = cents;
	}
	// why: an unpaid order must not be paid for a booking that no longer exists.
	if (b.orderId && b.status === 'pending' && !o.fromOrder) await cancelOrderInTx(tx, b.orderId, o.actorId, `booking ${o.reason}`, o.now);
	// The freed time goes to the first person waiting for it (not when the machine is out of service; a move
	// offers what its new time leaves free once the new booking is in: see rescheduleBooking).
	if (b.kind === 'booking' && o.reason !== 'maintenance' && o.reason !== 'rescheduled') await offerFreedSlot(tx, { placeId: b.placeId, resourceId: b.resourceId, startsAt: b.startsAt, endsAt: b.endsAt, now: o.now });
	return { booking: row, minutesBack: b.walletMinutes, creditCents, refundDueCents };
}

/** Locks a booking of the place and checks who may change it: its person before the deadline, or staff. */
async function lockForChange(tx: Tx, scope: PlaceScope, bookingId: string, now: Date, opts: { resources?: boolean } = {}): Promise<{ b: BookingRow; staff: boolean }> {
	if (typeof bookingId !== 'string' || bookingId.length > 64) throw new AppError('not_found', { detail: 'booking' });
	// why: every writer takes its locks in one order — resources (advisory), then orders, then bookings — so a
	// cancel, a move, an outage and the expiry of an unpaid order never wait on each other in a circle.
	const [peek] = await tx
		.select({ resourceId: booking.resourceId, orderId: booking.orderId })
		.from(booking)
		.where(and(eq(booking.placeId, scope.placeId), eq(booking.id, bookingId)));
	if (peek && opts.resources) {
		const r = await findResource(tx, scope.placeId, { id: peek.resourceId });
		if (r) await lockResources(tx, await occupiedResourceIds(tx, scope.placeId, r));
	}
	if (peek?.orderId) await lockOrders(tx, [peek.orderId]);
	const [b] = await tx
		.select()
		.from(booking)
		.where(and(eq(booking.placeId, scope.placeId), eq(booking.id, bookingId)))
		.for('update');
	const staff = can(scope, 'bookings.manage');
	// why: someone else's booking is "not found": ids must not be probed.
	if (!b || (b.userId !== scope.userId && !staff)) throw new AppError('not_found', { detail: 'booking' });
	if (b.status === 'cancelled') throw new AppError('conflict', { fields: { _: 'booking.already_cancelled' } });
	if (!staff) {
		const [r] = await tx.select({ cancelHours: resource.cancelHours }).from(resource).where(eq(resource.id, b.resourceId));
		if (now > cancelDeadline(b.startsAt, r?.cancelHours ?? 24)) throw new AppError('forbidden', { fields: { _: 'booking.too_late' }, detail: 'cancel deadline passed' });
	}
	return { b, staff };
}

/** Cancels a booking: its person before the resource's cancel deadline, staff (bookings.manage) any time. */
export async function cancelBooking(db: Db, scope: PlaceScope, bookingId: string, opts: { now?: Date } = {}): Promise<CancelOutcome> {
	requireMember(scope);
	const now = opts.now ?? new Date();
	return withMails(db, async (tx) => {
		const { b, staff } = await lockForChange(tx, scope, bookingId, now);
		const out = await cancelRow(tx, b, { actorId: scope.userId, reason: b.userId === scope.userId ? 'member' : 'staff', now, refund: await policyOf(tx, scope.placeId) });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.cancel', targetType: 'booking', targetId: b.id, data: { staff, minutesBack: out.minutesBack, creditCents: out.creditCents, refundDueCents: out.refundDueCents } });
		return out;
	});
}

/**
 * Moves a booking: in one transaction the old one is cancelled (what was paid goes back to the wallet: minutes,
 * and cents as credit) and a new one is booked for the same person and resource under the same rules, replacing it.
 * If the new time is refused, nothing changes.
 */
export async function rescheduleBooking(db: Db, scope: PlaceScope, bookingId: string, raw: RescheduleInput, opts: { now?: Date } = {}): Promise<BookingResult> {
	requireMember(scope);
	const times = parseInput(rescheduleInput, raw);
	const now = opts.now ?? new Date();
	return withMails(db, async (tx) => {
		const { b, staff } = await lockForChange(tx, scope, bookingId, now, { resources: true });
		if (b.kind !== 'booking') throw new AppError('invalid_input', { fields: { _: 'booking.not_movable' } });
		const old = await cancelRow(tx, b, { actorId: scope.userId, reason: 'rescheduled', now, refund: 'credit' });
		const input = bookingInput.parse({ resourceId: b.resourceId, startsAt: times.startsAt, endsAt: times.endsAt, note: b.note });
		const res = await bookInTx(tx, {
			scope,
			input,
			now,
			userId: b.userId,
			staff,
			replacesId: b.id,
			auditOf: (nb, orderId) => ({ placeId: scope.placeId, actorId: scope.userId, action: 'booking.reschedule', targetType: 'booking', targetId: nb.id, data: { replacesId: b.id, startsAt: times.startsAt, endsAt: times.endsAt, minutesBack: old.minutesBack, creditCents: old.creditCents, orderId } })
		});
		await offerFreedSlot(tx, { placeId: b.placeId, resourceId: b.resourceId, startsAt: b.startsAt, endsAt: b.endsAt, now });
		// why: what was paid for the old time came back as credit just above; when it covers the new time it pays it
		// at once, so a member who moves a paid booking does not pay again, nor lose the new time when an unpaid order
		// lapses an hour later. A dearer new time stays to be paid (the credit is there to pay it with).
		if (res.orderId && res.dueCents > 0 && old.creditCents >= res.dueCents) {
			await payOrderWithWalletInTx(tx, scope.placeId, res.orderId, scope.userId, { now, timezone: scope.timezone });
			const [paid] = await tx.select().from(booking).where(eq(booking.id, res.booking.id));
			return { booking: paid, orderId: res.orderId, dueCents: 0 };
		}
		return res;
	});
}

// ——— Out of service ———

export interface OutageResult {
	outageId: string;
	cancelled: string[];
}

/**
 * Staff put a resource out of service for a period: the outage is recorded, every live booking that occupies the
 * resource then is cancelled with its payment given back as wallet credit, and each person gets a mail.
 */
export async function putOutOfService(db: Db, scope: PlaceScope, raw: OutageInput, opts: { now?: Date; placeName?: string } = {}): Promise<OutageResult> {
	requirePermission(scope, 'bookings.manage');
	const input = parseInput(outageInput, raw);
	const now = opts.now ?? new Date();
	return withMails(db, async (tx) => {
		const r = await findResource(tx, scope.placeId, { id: input.resourceId });
		if (!r) throw new AppError('not_found', { detail: 'resource', fields: { resourceId: 'booking.unknown_resource' } });
		const occupied = await occupiedResourceIds(tx, scope.placeId, r);
		await lockResources(tx, occupied);
		const start = new Date(input.startsAt);
		const end = new Date(input.endsAt);
		const outageId = newId();
		await tx.insert(resourceOutage).values({ id: outageId, placeId: scope.placeId, resourceId: r.id, startsAt: start, endsAt: end, reason: input.reason, createdBy: scope.userId });
		const hit = await tx
			.selectDistinct({ id: bookingSlot.bookingId })
			.from(bookingSlot)
			.where(and(eq(bookingSlot.placeId, scope.placeId), inArray(bookingSlot.resourceId, occupied), slotOverlaps({ start, end })));
		const cancelled: string[] = [];
		if (hit.length) {
			const orders = await tx
				.select({ orderId: booking.orderId })
				.from(booking)
				.where(and(eq(booking.placeId, scope.placeId), inArray(booking.id, hit.map((h) => h.id))));
			await lockOrders(tx, orders.map((o) => o.orderId).filter((x): x is string => Boolean(x)));
			const rows = await tx
				.select()
				.from(booking)
				.where(and(eq(booking.placeId, scope.placeId), inArray(booking.id, hit.map((h) => h.id))))
				.orderBy(booking.id)
				.for('update');
			const [p] = await tx.select({ name: place.name }).from(place).where(eq(place.id, scope.placeId));
			for (const b of rows) {
				if (b.status === 'cancelled') continue;
				await cancelRow(tx, b, { actorId: scope.userId, reason: 'maintenance', now, refund: 'credit' });
				cancelled.push(b.id);
				if (!b.userId) continue;
				const [u] = await tx.select({ email: user.email, name: user.name, locale: user.locale }).from(user).where(eq(user.id, b.userId));
				if (!u) continue;
				const locale = isLocale(u.locale) ? u.locale : 'fr';
				await queueMail(tx, {
					placeId: scope.placeId,
					to: u.email,
					locale,
					name: u.name,
					placeName: opts.placeName ?? p?.name,
					template: 'mail.booking_outage',
					params: { resource: r.name, when: formatDateTime(b.startsAt, locale, scope.timezone), reason: input.reason }
				});
			}
		}
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.out_of_service', targetType: 'resource', targetId: r.id, data: { outageId, startsAt: input.startsAt, endsAt: input.endsAt, reason: input.reason, cancelled } });
		return { outageId, cancelled };
	});
}

// ——— The 'booking' sellable: the order line that pays a pending booking ———

registerSellable(BOOKING_SELLABLE, {
	async reserve(tx, { line, placeId }) {
		// The booking was written just before its order, pending, in the same transaction: it already holds its slot.
		const [b] = await tx
			.select({ status: booking.status })
			.from(booking)
			.where(and(eq(booking.id, line.refId ?? ''), eq(booking.placeId, placeId)));
		if (!b || b.status !== 'pending') throw new AppError('invalid_input', { fields: { lines: 'booking.not_pending' } });
	},
	async confirm(tx, { line, placeId }) {
		const [b] = await tx
			.update(booking)
			.set({ status: 'confirmed' })
			.where(and(eq(booking.id, line.refId ?? ''), eq(booking.placeId, placeId), eq(booking.status, 'pending')))
			.returning({ id: booking.id });
		// why: a booking cancelled meanwhile (outage, staff) must not be sold: the payment is refused, not swallowed.
		if (!b) throw new AppError('conflict', { fields: { _: 'booking.not_pending' }, detail: `booking ${line.refId} is not pending` });
		await mailBookingConfirmation(tx, b.id);
	},
	async release(tx, { line, placeId, actorId, now }, reason) {
		const [b] = await tx
			.select()
			.from(booking)
			.where(and(eq(booking.id, line.refId ?? ''), eq(booking.placeId, placeId)))
			.for('update');
		if (!b || b.status !== 'pending') return;
		await cancelRow(tx, b, { actorId, reason: reason === 'cancelled' ? 'member' : 'unpaid', now, refund: 'none', fromOrder: true });
	}
});
