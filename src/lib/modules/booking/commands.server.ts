// Booking commands of the machine space (decision 013): book, cancel, move, put out of service. One transaction per
// use case with its audit entry. Booking locks every resource it will occupy (advisory locks, sorted) before it
// reads anything, so racing bookings of one machine queue instead of deadlocking; the exclusion constraint on
// booking_slot stays the last line of defence (23P01 -> slot_taken).
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../server/db/client';
import { booking, bookingPolicy, bookingSlot, checkoutOrder, checkoutOrderLine, place, placeMember, product, productPrice, resource, resourceOutage, role, user, wallet, type Audience } from '../../server/db/schema';
import { AppError, toAppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { queueMail } from '../../server/mail';
import { formatDateTime, isLocale } from '../../i18n';
import { can, requireMember, requirePermission, type PlaceScope } from '../places/policy';
import { hasValidQualification } from '../trainings/qualifications.server';
import { heldByOffer, markOfferTaken, offerFreedSlot } from './waitlist.server';
import { mailBookingConfirmation } from './confirmation.server';
import { registerSellable } from '../money/checkout-registry.server';
import { cancelOrderInTx, openOrder } from '../money/checkout.server';
import { appendWalletEntry, spendMinutes } from '../money/wallet.server';
import { bookableOf, findResource, loadCalendar, occupiedResourceIds, slotOverlaps, type BookingRow } from './queries.server';
import { bookingInput, cancelDeadline, checkSlot, durationMinutes, outageInput, rescheduleInput, splitPayment, type BookingInput, type Interval, type OutageInput, type RescheduleInput } from './rules';

/** The sellable kind of a booking's order line. */
export const BOOKING_SELLABLE = 'booking';

export interface BookingResult {
	booking: BookingRow;
	/** The order to pay (pending) when the booking is not fully covered by hour packs; null otherwise. */
	orderId: string | null;
	dueCents: number;
}

/**
 * Takes the per-resource transaction locks (sorted, one at a time). Every writer that occupies a resource goes
 * through here first, so two bookings of the same resources serialise here rather than deadlock in the index.
 */
export async function lockResources(tx: Tx, ids: string[]): Promise<void> {
	for (const id of [...new Set(ids)].sort()) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${'lieu.resource:' + id}, 0))`);
}

/** Locks checkout orders (sorted) before the bookings they pay are locked (see lockForChange). */
async function lockOrders(tx: Tx, ids: string[]): Promise<void> {
	const sorted = [...new Set(ids)].sort();
	if (sorted.length) await tx.select({ id: checkoutOrder.id }).from(checkoutOrder).where(inArray(checkoutOrder.id, sorted)).orderBy(checkoutOrder.id).for('update');
}

/** Audience of a person for prices (resident, member, or public for people without a role in the place). */
export async function audienceOfUser(tx: Tx, placeId: string, userId: string | null): Promise<Audience> {
	if (!userId) return 'public';
	const [m] = await tx
		.select({ key: role.key })
		.from(placeMember)
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(and(eq(placeMember.placeId, placeId), eq(placeMember.userId, userId)));
	if (!m) return 'public';
	return m.key === 'resident' ? 'resident' : 'member';
}

export interface PricedProduct {
	id: string;
	name: string;
	vatCategory: string;
	/** Price VAT included for the audience (else the public price); null when the product has neither. */
	cents: number | null;
}

/** Catalogue products of the place with their price for an audience (falling back to the public price). */
export async function audiencePrices(tx: Tx, placeId: string, productIds: string[], audience: Audience): Promise<Map<string, PricedProduct>> {
	const ids = [...new Set(productIds)];
	if (!ids.length) return new Map();
	const products = await tx
		.select({ id: product.id, name: product.name, vatCategory: product.vatCategory })
		.from(product)
		.where(and(eq(product.placeId, placeId), inArray(product.id, ids)));
	const prices = await tx
		.select({ productId: productPrice.productId, audience: productPrice.audience, amountCents: productPrice.amountCents })
		.from(productPrice)
		.where(and(eq(productPrice.placeId, placeId), inArray(productPrice.productId, ids)));
	const of = (id: string, a: Audience) => prices.find((x) => x.productId === id && x.audience === a)?.amountCents;
	return new Map(products.map((p) => [p.id, { ...p, cents: of(p.id, audience) ?? of(p.id, 'public') ?? null }]));
}

/** Hourly price of the resource for an audience (falls back to the public price); 0 when free. */
async function hourPrice(tx: Tx, placeId: string, productId: string | null, audience: Audience): Promise<{ cents: number; product: { id: string; name: string; vatCategory: string } | null }> {
	if (!productId) return { cents: 0, product: null };
	const p = (await audiencePrices(tx, placeId, [productId], audience)).get(productId);
	if (!p) return { cents: 0, product: null };
	return { cents: p.cents ?? 0, product: { id: p.id, name: p.name, vatCategory: p.vatCategory } };
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
}

/** The booking itself, inside the caller's transaction: lock, check, insert, price. */
async function bookInTx(tx: Tx, o: BookInTx): Promise<BookingResult> {
	const { scope, input, now } = o;
	const r = await findResource(tx, scope.placeId, { id: input.resourceId });
	if (!r || !r.active || (!r.bookable && !o.staff)) throw new AppError('not_found', { detail: 'resource', fields: { resourceId: 'booking.unknown_resource' } });
	const req: Interval = { start: new Date(input.startsAt), end: new Date(input.endsAt) };
	const occupied = await occupiedResourceIds(tx, scope.placeId, r);
	// why: lock first, then read: what the checks below see cannot change before this transaction ends.
	await lockResources(tx, occupied);
	const cal = await loadCalendar(tx, scope.placeId, scope.timezone, r, occupied, req);
	const problem = checkSlot(req, cal, bookableOf(r), { now, staff: o.staff, block: input.kind === 'block' });
	if (problem) throw new AppError(problem.code, problem.field ? { fields: { [problem.field]: problem.key } } : {});
	if (input.kind === 'booking' && r.requiresQualification && o.userId && !(await hasValidQualification(tx, scope.placeId, o.userId, r.id, req.start)))
		throw new AppError('not_qualified', { fields: { resourceId: 'booking.not_qualified' }, detail: r.name });
	// why: a freed slot offered to the first person waiting is theirs until the offer lapses (staff may still block it).
	if (input.kind === 'booking' && (await heldByOffer(tx, scope.placeId, r.id, req.start, req.end, o.userId, now))) throw new AppError('slot_taken', { fields: { startsAt: 'waitlist.held' } });

	const minutes = durationMinutes(req);
	const id = newId();
	let priceCents = 0;
	let walletMinutes = 0;
	let dueCents = 0;
	let price: Awaited<ReturnType<typeof hourPrice>> = { cents: 0, product: null };
	if (input.kind === 'booking' && o.userId && r.productId) {
		price = await hourPrice(tx, scope.placeId, r.productId, await audienceOfUser(tx, scope.placeId, o.userId));
		const balance = price.cents > 0 ? await lockedMinutes(tx, scope.placeId, o.userId) : 0;
		({ priceCents, walletMinutes, dueCents } = splitPayment(price.cents, minutes, balance));
	}
	const [row] = await tx
		.insert(booking)
		.values({
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
			note: input.note,
			createdBy: scope.userId,
			createdAt: now,
			replacesId: o.replacesId ?? null
		})
		.returning();
	await tx.insert(bookingSlot).values(occupied.map((rid) => ({ bookingId: id, placeId: scope.placeId, resourceId: rid, startsAt: req.start, endsAt: req.end })));
	if (o.userId) await markOfferTaken(tx, scope.placeId, r.id, o.userId, req.start, req.end);
	if (walletMinutes > 0) await spendMinutes(tx, { placeId: scope.placeId, userId: o.userId!, minutes: walletMinutes, actorId: scope.userId, note: `${r.name} (${id})` });
	let orderId: string | null = null;
	let out = row;
	if (dueCents > 0) {
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
					productId: price.product?.id ?? null,
					label: `${r.name} · ${formatDateTime(req.start, 'fr', scope.timezone)} (${minutes} min)`,
					activity: 'machines',
					quantity: 1,
					unitPriceCents: dueCents,
					vatCategory: (price.product?.vatCategory ?? 'machine_time') as 'machine_time',
					context: 'on_site',
					details: { bookingId: id, minutes: minutes - walletMinutes }
				}
			]
		});
		orderId = order.id;
		[out] = await tx.update(booking).set({ orderId }).where(eq(booking.id, id)).returning();
	}
	if (out.status === 'confirmed') await mailBookingConfirmation(tx, out.id);
	return { booking: out, orderId, dueCents };
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
		return await db.transaction(async (tx) => {
			const who = await resolveBooker(tx, scope, input);
			const res = await bookInTx(tx, { scope, input, now, userId: who.userId, staff: who.staff });
			await audit(tx, {
				placeId: scope.placeId,
				actorId: scope.userId,
				action: input.kind === 'block' ? 'booking.block' : 'booking.create',
				targetType: 'booking',
				targetId: res.booking.id,
				data: { resourceId: input.resourceId, userId: who.userId, startsAt: input.startsAt, endsAt: input.endsAt, priceCents: res.booking.priceCents, walletMinutes: res.booking.walletMinutes, orderId: res.orderId }
			});
			return res;
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
	return db.transaction(async (tx) => {
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
	return db.transaction(async (tx) => {
		const { b, staff } = await lockForChange(tx, scope, bookingId, now, { resources: true });
		if (b.kind !== 'booking') throw new AppError('invalid_input', { fields: { _: 'booking.not_movable' } });
		const old = await cancelRow(tx, b, { actorId: scope.userId, reason: 'rescheduled', now, refund: 'credit' });
		const input = bookingInput.parse({ resourceId: b.resourceId, startsAt: times.startsAt, endsAt: times.endsAt, note: b.note });
		const res = await bookInTx(tx, { scope, input, now, userId: b.userId, staff, replacesId: b.id });
		await offerFreedSlot(tx, { placeId: b.placeId, resourceId: b.resourceId, startsAt: b.startsAt, endsAt: b.endsAt, now });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.reschedule', targetType: 'booking', targetId: res.booking.id, data: { replacesId: b.id, startsAt: times.startsAt, endsAt: times.endsAt, minutesBack: old.minutesBack, creditCents: old.creditCents, orderId: res.orderId } });
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
	return db.transaction(async (tx) => {
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
