// Running the machine space day to day: the maintenance log (append-only), outages (read here), usage and
// occupancy, today's bookings for staff, check-in and check-out (with materials and incidents). Booking
// creation and cancellation live in the booking engine, not here.
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../server/db/client';
import { booking, bookingMaterial, maintenanceLog, product, resource, resourceOutage, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { can, requireMember, requirePermission, type PlaceScope } from '../places/policy';
import { addDays } from '../places/time';
import { checkOutInput, maintenanceInput, type CheckOutInput, type MaintenanceInput } from './admin-inputs';
import { localDate, localMinutesToUtc } from './hours';
import { listRules } from './hours.server';
import { occupancyHeatmap, usageByMonth, type Heatmap } from './usage';
import { billMaterials, priceMaterials } from './materials.server';
import type { BookingStatus, MaintenanceKind } from './schema';

async function ownResource(db: DbOrTx, scope: PlaceScope, resourceId: string) {
	const [r] = await db
		.select({ id: resource.id, name: resource.name, kind: resource.kind })
		.from(resource)
		.where(and(eq(resource.placeId, scope.placeId), eq(resource.id, resourceId)));
	if (!r) throw new AppError('not_found', { detail: 'resource' });
	return r;
}

export interface LogEntry {
	id: string;
	kind: MaintenanceKind;
	body: string;
	bookingId: string | null;
	authorName: string | null;
	createdAt: Date;
}

/** The maintenance log of a resource, newest first. */
export async function maintenanceLogOf(db: DbOrTx, scope: PlaceScope, resourceId: string, limit = 100): Promise<LogEntry[]> {
	requirePermission(scope, 'bookings.manage');
	await ownResource(db, scope, resourceId);
	return db
		.select({ id: maintenanceLog.id, kind: maintenanceLog.kind, body: maintenanceLog.body, bookingId: maintenanceLog.bookingId, authorName: user.name, createdAt: maintenanceLog.createdAt })
		.from(maintenanceLog)
		.leftJoin(user, eq(user.id, maintenanceLog.createdBy))
		.where(and(eq(maintenanceLog.placeId, scope.placeId), eq(maintenanceLog.resourceId, resourceId)))
		.orderBy(desc(maintenanceLog.createdAt), desc(maintenanceLog.id))
		.limit(limit);
}

/** Appends an entry to a resource's maintenance log (the database refuses any later edit). */
export async function addMaintenanceEntry(db: Db, scope: PlaceScope, resourceId: string, raw: MaintenanceInput): Promise<{ id: string }> {
	requirePermission(scope, 'bookings.manage');
	const input = parseInput(maintenanceInput, raw);
	return db.transaction(async (tx) => {
		await ownResource(tx, scope, resourceId);
		const id = newId();
		await tx.insert(maintenanceLog).values({ id, placeId: scope.placeId, resourceId, kind: input.kind, body: input.body, createdBy: scope.userId });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.maintenance_add', targetType: 'resource', targetId: resourceId, data: { entryId: id, kind: input.kind } });
		return { id };
	});
}

/** Out-of-service periods of a resource that have not ended yet (created by the booking engine). */
export async function upcomingOutages(db: DbOrTx, scope: PlaceScope, resourceId: string, now: Date) {
	requirePermission(scope, 'bookings.manage');
	return db
		.select({ id: resourceOutage.id, startsAt: resourceOutage.startsAt, endsAt: resourceOutage.endsAt, reason: resourceOutage.reason })
		.from(resourceOutage)
		.where(and(eq(resourceOutage.placeId, scope.placeId), eq(resourceOutage.resourceId, resourceId), gt(resourceOutage.endsAt, now)))
		.orderBy(asc(resourceOutage.startsAt));
}

const usageCols = { startsAt: booking.startsAt, endsAt: booking.endsAt, checkedInAt: booking.checkedInAt, checkedOutAt: booking.checkedOutAt };
const live = (placeId: string, resourceId: string) => and(eq(booking.placeId, placeId), eq(booking.resourceId, resourceId), eq(booking.kind, 'booking'), ne(booking.status, 'cancelled'));

/** Used hours per month over the last `months` months (check-in to check-out, else booked time; cancelled left out). */
export async function usageOf(db: DbOrTx, scope: PlaceScope, resourceId: string, now: Date, months = 12) {
	requirePermission(scope, 'bookings.manage');
	await ownResource(db, scope, resourceId);
	const today = localDate(now, scope.timezone);
	const [y, m] = today.split('-').map(Number);
	const first = new Date(Date.UTC(y, m - 1 - (months - 1), 1)).toISOString().slice(0, 10);
	const from = localMinutesToUtc(first, 0, scope.timezone);
	const rows = await db
		.select(usageCols)
		.from(booking)
		.where(and(live(scope.placeId, resourceId), gte(booking.endsAt, from), lt(booking.startsAt, now)));
	const byMonth = new Map(usageByMonth(rows, scope.timezone).map((u) => [u.month, u]));
	// Every month of the window, empty ones included (a chart with holes would read as missing data).
	return Array.from({ length: months }, (_, i) => {
		const month = new Date(Date.UTC(y, m - 1 - (months - 1) + i, 1)).toISOString().slice(0, 7);
		return byMonth.get(month) ?? { month, hours: 0, bookings: 0 };
	});
}

/**
 * Occupancy by weekday and local hour over the last `weeks` whole weeks before today (local midnights, so
 * each weekday counts exactly `weeks` times; DST days are 23 or 25 hours).
 */
export async function occupancyOf(db: DbOrTx, scope: PlaceScope, resourceId: string, now: Date, weeks = 8): Promise<Heatmap & { from: string; to: string }> {
	requirePermission(scope, 'bookings.manage');
	await ownResource(db, scope, resourceId);
	const today = localDate(now, scope.timezone);
	const fromDate = addDays(today, -7 * weeks);
	const from = localMinutesToUtc(fromDate, 0, scope.timezone);
	const to = localMinutesToUtc(today, 0, scope.timezone);
	const rows = await db
		.select(usageCols)
		.from(booking)
		.where(and(live(scope.placeId, resourceId), gt(booking.endsAt, from), lt(booking.startsAt, to)));
	const rules = (await listRules(db, scope.placeId)).filter((r) => r.resourceId === resourceId || r.resourceId === null);
	const openHours = new Set<number>();
	for (const r of rules) for (let h = Math.floor(r.opensMin / 60); h < Math.ceil(r.closesMin / 60); h++) openHours.add(h);
	return { ...occupancyHeatmap(rows, from, to, scope.timezone, [...openHours]), from: fromDate, to: addDays(today, -1) };
}

export interface DayBooking {
	id: string;
	kind: 'booking' | 'block';
	status: BookingStatus;
	startsAt: Date;
	endsAt: Date;
	resourceId: string;
	resourceName: string;
	userId: string | null;
	personName: string | null;
	note: string;
	checkedInAt: Date | null;
	checkedOutAt: Date | null;
}

/** Bookings of every resource touching a local date (staff view), by start time then resource. */
export async function bookingsOfDay(db: DbOrTx, scope: PlaceScope, date: string): Promise<DayBooking[]> {
	requirePermission(scope, 'bookings.manage');
	const from = localMinutesToUtc(date, 0, scope.timezone);
	const to = localMinutesToUtc(date, 1440, scope.timezone);
	return db
		.select({
			id: booking.id,
			kind: booking.kind,
			status: booking.status,
			startsAt: booking.startsAt,
			endsAt: booking.endsAt,
			resourceId: booking.resourceId,
			resourceName: resource.name,
			userId: booking.userId,
			personName: user.name,
			note: booking.note,
			checkedInAt: booking.checkedInAt,
			checkedOutAt: booking.checkedOutAt
		})
		.from(booking)
		.innerJoin(resource, and(eq(resource.id, booking.resourceId), eq(resource.placeId, scope.placeId)))
		.leftJoin(user, eq(user.id, booking.userId))
		.where(and(eq(booking.placeId, scope.placeId), lt(booking.startsAt, to), gt(booking.endsAt, from)))
		.orderBy(asc(booking.startsAt), asc(resource.name));
}

/** How early before its start a booking may be checked in. */
export const CHECK_IN_EARLY_MINUTES = 60;

/** Loads a booking the viewer may check in or out: staff (bookings.manage) or the booking's owner. */
async function bookingForPresence(tx: DbOrTx, scope: PlaceScope, bookingId: string) {
	requireMember(scope);
	const [b] = await tx
		.select({ id: booking.id, userId: booking.userId, kind: booking.kind, status: booking.status, startsAt: booking.startsAt, endsAt: booking.endsAt, resourceId: booking.resourceId, checkedInAt: booking.checkedInAt, checkedOutAt: booking.checkedOutAt })
		.from(booking)
		.where(and(eq(booking.placeId, scope.placeId), eq(booking.id, bookingId)));
	const staff = can(scope, 'bookings.manage');
	// why: another person's booking does not exist for a member (no probing of ids).
	if (!b || (!staff && b.userId !== scope.userId)) throw new AppError('not_found', { detail: 'booking' });
	if (b.kind !== 'booking' || b.status !== 'confirmed') throw new AppError('invalid_input', { fields: { bookingId: 'presence.not_confirmed' } });
	return { b, staff };
}

/** Records that the person arrived (staff, or the owner from an hour before the start until the end). */
export async function checkIn(db: Db, scope: PlaceScope, bookingId: string, now: Date): Promise<void> {
	await db.transaction(async (tx) => {
		const { b, staff } = await bookingForPresence(tx, scope, bookingId);
		if (now.getTime() < b.startsAt.getTime() - CHECK_IN_EARLY_MINUTES * 60_000) throw new AppError('invalid_input', { fields: { bookingId: 'presence.too_early' } });
		if (!staff && now >= b.endsAt) throw new AppError('invalid_input', { fields: { bookingId: 'presence.too_late' } });
		// why: one check-in even when the member and staff press at the same moment: the row decides.
		const [row] = await tx
			.update(booking)
			.set({ checkedInAt: now })
			.where(and(eq(booking.placeId, scope.placeId), eq(booking.id, bookingId), isNull(booking.checkedInAt), eq(booking.status, 'confirmed')))
			.returning({ id: booking.id });
		if (!row) throw new AppError('conflict', { fields: { bookingId: 'presence.already_in' } });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.check_in', targetType: 'booking', targetId: bookingId, data: { at: now.toISOString() } });
	});
}

/** What a check-out recorded: the incident, if any, and the order of the priced materials, if any. */
export interface CheckOutResult {
	incidentId: string | null;
	/** The pending order of the priced materials (null when nothing declared has a price). */
	orderId: string | null;
	dueCents: number;
}

/**
 * Records that the person left, with the materials they used (catalogue products of the place or free text)
 * and, when something went wrong, an incident appended to the machine's maintenance log. Materials that are
 * products with a price for the person's audience are billed in the same transaction: one pending checkout order
 * (lines of kind 'material', see materials.server.ts); free text and unpriced products are recorded, not billed.
 * Only one check-out per booking (the guarded update): a second one, even concurrent, is refused and bills nothing.
 */
export async function checkOut(db: Db, scope: PlaceScope, bookingId: string, raw: CheckOutInput, now: Date): Promise<CheckOutResult> {
	const input = parseInput(checkOutInput, raw);
	return db.transaction(async (tx) => {
		const { b } = await bookingForPresence(tx, scope, bookingId);
		if (!b.checkedInAt) throw new AppError('invalid_input', { fields: { bookingId: 'presence.not_in' } });
		const productIds = [...new Set(input.materials.map((m) => m.productId).filter((x): x is string => Boolean(x)))];
		const products = productIds.length
			? await tx
					.select({ id: product.id, name: product.name })
					.from(product)
					.where(and(eq(product.placeId, scope.placeId), inArray(product.id, productIds)))
			: [];
		const fields: Record<string, string> = {};
		input.materials.forEach((m, i) => {
			if (m.productId && !products.some((p) => p.id === m.productId)) fields[`materials.${i}.productId`] = 'presence.unknown_material';
		});
		if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
		const prices = await priceMaterials(tx, scope.placeId, b.userId, input.materials);
		const at = now < b.checkedInAt ? b.checkedInAt : now;
		// why: the row decides: of two check-outs at the same moment the second finds checked_out_at set and writes nothing.
		const [row] = await tx
			.update(booking)
			.set({ checkedOutAt: at })
			.where(and(eq(booking.placeId, scope.placeId), eq(booking.id, bookingId), isNotNull(booking.checkedInAt), isNull(booking.checkedOutAt)))
			.returning({ id: booking.id });
		if (!row) throw new AppError('conflict', { fields: { bookingId: 'presence.already_out' } });
		const materials = input.materials.map((m, i) => ({ id: newId(), label: m.label || products.find((p) => p.id === m.productId)!.name, quantity: m.quantity, productId: m.productId, price: prices[i] }));
		if (materials.length) await tx.insert(bookingMaterial).values(materials.map((m) => ({ id: m.id, placeId: scope.placeId, bookingId, productId: m.productId, label: m.label, quantity: m.quantity })));
		const bill = await billMaterials(tx, scope, { bookingId, buyerId: b.userId, materials, now });
		let incidentId: string | null = null;
		if (input.incident) {
			incidentId = newId();
			await tx.insert(maintenanceLog).values({ id: incidentId, placeId: scope.placeId, resourceId: b.resourceId, kind: 'incident', body: input.incident, bookingId, createdBy: scope.userId });
		}
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.check_out', targetType: 'booking', targetId: bookingId, data: { at: at.toISOString(), materials: input.materials.length, incidentId, orderId: bill.orderId, dueCents: bill.dueCents } });
		return { incidentId, ...bill };
	});
}

/** Materials declared on bookings (for the staff day view). */
export async function materialsOf(db: DbOrTx, scope: PlaceScope, bookingIds: string[]) {
	if (!bookingIds.length) return [];
	return db
		.select({ bookingId: bookingMaterial.bookingId, label: bookingMaterial.label, quantity: bookingMaterial.quantity })
		.from(bookingMaterial)
		.where(and(eq(bookingMaterial.placeId, scope.placeId), inArray(bookingMaterial.bookingId, bookingIds)))
		.orderBy(asc(bookingMaterial.createdAt));
}

/** Products a person may declare as materials at check-out (active products of activity machines or other). */
export async function materialOptions(db: DbOrTx, scope: PlaceScope) {
	return db
		.select({ id: product.id, name: product.name })
		.from(product)
		.where(and(eq(product.placeId, scope.placeId), eq(product.active, true), or(eq(product.activity, 'machines'), eq(product.activity, 'other')), sql`${product.vatCategory} NOT IN ('machine_time', 'room')`))
		.orderBy(asc(product.name));
}

/** The person's own confirmed bookings around now (from 12 h ago to 24 h ahead): what they may check in or out. */
export async function myCurrentBookings(db: DbOrTx, scope: PlaceScope, now: Date) {
	requireMember(scope);
	return db
		.select({ id: booking.id, startsAt: booking.startsAt, endsAt: booking.endsAt, resourceName: resource.name, checkedInAt: booking.checkedInAt, checkedOutAt: booking.checkedOutAt })
		.from(booking)
		.innerJoin(resource, and(eq(resource.id, booking.resourceId), eq(resource.placeId, scope.placeId)))
		.where(and(eq(booking.placeId, scope.placeId), eq(booking.userId, scope.userId!), eq(booking.kind, 'booking'), eq(booking.status, 'confirmed'), gt(booking.endsAt, new Date(now.getTime() - 12 * 3_600_000)), lt(booking.startsAt, new Date(now.getTime() + 24 * 3_600_000))))
		.orderBy(asc(booking.startsAt));
}
