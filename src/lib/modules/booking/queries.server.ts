import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../server/db/client';
import { executeCached, ph, runCached } from '../../server/db/prepared';
import { booking, bookingSlot, checkoutOrder, product, productPrice, resource, type Audience } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { can, requireMember, type PlaceScope } from '../places/policy';
import { addDays, wallClock } from '../places/time';
import { walletBalances } from '../money/wallet.server';
import { hasValidQualification } from '../trainings/qualifications.server';
import { RESOURCE_KINDS, type ResourceKind } from './schema';
import {
	bookableWindows,
	checkSlot,
	durationMinutes,
	intersectIntervals,
	localMinuteToUtc,
	mergeIntervals,
	outageIntervals,
	splitPayment,
	subtractIntervals,
	weekGrid,
	type BookableResource,
	type BookingCalendar,
	type Interval,
	type SlotProblem,
	type WeekGrid
} from './rules';

export type Resource = typeof resource.$inferSelect;

export interface PublicResource {
	id: string;
	kind: ResourceKind;
	name: string;
	slug: string;
	description: string;
	safetyNotes: string;
	requiresQualification: boolean;
	/** Name of the room it is in, if any. */
	parentName: string | null;
	parentId: string | null;
	bookable: boolean;
	slotMinutes: number;
	minMinutes: number;
	maxMinutes: number;
	openAccessOnly: boolean;
}

const parent = alias(resource, 'parent');

/** Active resources of the place (public list of machines and spaces), in kind order then by name. */
export async function listActiveResources(db: DbOrTx, scope: PlaceScope): Promise<PublicResource[]> {
	const rows = await db
		.select({
			id: resource.id,
			kind: resource.kind,
			name: resource.name,
			slug: resource.slug,
			description: resource.description,
			safetyNotes: resource.safetyNotes,
			requiresQualification: resource.requiresQualification,
			parentName: parent.name,
			parentId: resource.parentId,
			bookable: resource.bookable,
			slotMinutes: resource.slotMinutes,
			minMinutes: resource.minMinutes,
			maxMinutes: resource.maxMinutes,
			openAccessOnly: resource.openAccessOnly
		})
		.from(resource)
		.leftJoin(parent, and(eq(parent.id, resource.parentId), eq(parent.placeId, scope.placeId)))
		.where(and(eq(resource.placeId, scope.placeId), eq(resource.active, true)))
		.orderBy(asc(resource.name));
	const order = (k: string) => RESOURCE_KINDS.indexOf(k as ResourceKind);
	// why: the natural sort ("Établi 10" after "Établi 9") and kind order are done here, not by the database collation.
	const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
	return rows.sort((a, b) => order(a.kind) - order(b.kind) || collator.compare(a.name, b.name));
}

/** Active resources grouped by kind (machine, room, bench, space), empty kinds left out. */
export async function resourcesByKind(db: DbOrTx, scope: PlaceScope): Promise<Array<{ kind: ResourceKind; items: PublicResource[] }>> {
	const all = await listActiveResources(db, scope);
	return RESOURCE_KINDS.map((kind) => ({ kind, items: all.filter((r) => r.kind === kind) })).filter((g) => g.items.length > 0);
}

// ——— Booking calendar: what decides when a resource can be booked ———

/** The resource row of a place by id or slug (any state); undefined when it is not this place's. */
export async function findResource(db: DbOrTx, placeId: string, idOrSlug: { id?: string; slug?: string }): Promise<Resource | undefined> {
	if (idOrSlug.id !== undefined && (typeof idOrSlug.id !== 'string' || idOrSlug.id.length > 64)) return undefined;
	if (idOrSlug.slug !== undefined && (typeof idOrSlug.slug !== 'string' || idOrSlug.slug.length > 120)) return undefined;
	const cond = idOrSlug.id !== undefined ? eq(resource.id, idOrSlug.id) : eq(resource.slug, idOrSlug.slug ?? '');
	const [r] = await db
		.select()
		.from(resource)
		.where(and(eq(resource.placeId, placeId), cond));
	return r;
}

/**
 * What a booking of the resource occupies, as an SQL text[] over the `resource` row of the query: the resource itself
 * and, for a room, every machine it contains (decision 013), in byte order (COLLATE "C" = the order of JS sort for
 * our ASCII ids): the advisory locks are taken in this order.
 */
// why: written with the table name, as drizzle leaves columns unqualified in one-table selects.
const occupiedArray = sql<string[]>`ARRAY(SELECT x FROM unnest(ARRAY["resource"."id"] || ARRAY(SELECT c.id FROM resource c WHERE c.place_id = "resource"."place_id" AND c.parent_id = "resource"."id" AND "resource"."kind" = 'room')) x ORDER BY x COLLATE "C")`;

/** Takes one transaction-scoped advisory lock per resource of an SQL text[], in its order, in one statement. */
const lockEach = (ids: ReturnType<typeof sql>) => sql`(SELECT count(pg_advisory_xact_lock(hashtextextended('lieu.resource:' || x, 0))) FROM unnest(${ids}) x)`;

/** What a booking of the resource occupies (see occupiedArray). */
export async function occupiedResourceIds(db: DbOrTx, placeId: string, r: Pick<Resource, 'id' | 'kind'>): Promise<string[]> {
	if (r.kind !== 'room') return [r.id];
	const [row] = await db.select({ ids: occupiedArray }).from(resource).where(and(eq(resource.placeId, placeId), eq(resource.id, r.id)));
	return row?.ids ?? [r.id];
}

/**
 * Takes the per-resource transaction locks (sorted, one at a time, in one statement). Every writer that occupies a
 * resource goes through here first, so two bookings of the same resources serialise here rather than deadlock.
 */
export async function lockResources(tx: DbOrTx, ids: string[]): Promise<void> {
	if (!ids.length) return;
	const list = sql`ARRAY(SELECT x FROM unnest(ARRAY[${sql.join(ids.map((id) => sql`${id}`), sql`, `)}]::text[]) x ORDER BY x COLLATE "C")`;
	await tx.execute(sql`SELECT ${lockEach(list)}`);
}

/**
 * The resource row of a place, what booking it occupies, and the locks on all of that, in one statement (the first
 * of a booking transaction; what the booking reads next cannot change before it ends). Undefined when unknown.
 */
export async function lockedResource(tx: DbOrTx, placeId: string, resourceId: string): Promise<{ r: Resource; occupied: string[] } | undefined> {
	if (typeof resourceId !== 'string' || resourceId.length > 64) return undefined;
	const [row] = await runCached(
		tx,
		'lockedResource',
		(tx) =>
			tx
				.select({ r: resource, occupied: occupiedArray, locked: lockEach(occupiedArray) })
				.from(resource)
				.where(and(eq(resource.placeId, ph('placeId')), eq(resource.id, ph('resourceId')))),
		{ placeId, resourceId }
	);
	return row ? { r: row.r, occupied: row.occupied } : undefined;
}

/**
 * booking_slot rows overlapping a period, written as the exclusion constraint's own expression so PostgreSQL can use
 * its GiST index (place_id, resource_id, tstzrange): a week stays as fast with years of bookings behind it.
 */
export function slotOverlaps(period: Interval) {
	return sql`tstzrange(${bookingSlot.startsAt}, ${bookingSlot.endsAt}) && tstzrange(${period.start.toISOString()}::timestamptz, ${period.end.toISOString()}::timestamptz)`;
}

/**
 * The rules, exceptions, sessions, outages and occupied times that concern a resource over a period, as one
 * UNION query (rows of calendarFrom). Embedded as is in the booking's context query, so a booking reads its whole
 * calendar in the same round trip as the rest of what it checks. Built once per shape (calendarShape: how many
 * resources are in scope and occupied) with placeholders named cal_*, bound with calendarValues.
 */
export function calendarSql(shape: CalendarShape) {
	const list = (prefix: string, n: number) => sql.join(Array.from({ length: n }, (_, i) => sql.placeholder(prefix + i)), sql`, `);
	const scopeList = list('cal_scope', shape.scope);
	const occupiedList = list('cal_occ', shape.occupied);
	const placeId = sql.placeholder('cal_place');
	const from = sql.placeholder('cal_from');
	const to = sql.placeholder('cal_to');
	return sql`
		SELECT 'rule' AS t, resource_id, weekday AS w, opens_min AS o, closes_min AS c, NULL::text AS d, NULL::boolean AS closed, NULL::text AS s, NULL::text AS e
			FROM opening_rule WHERE place_id = ${placeId} AND (resource_id IS NULL OR resource_id IN (${scopeList}))
		UNION ALL SELECT 'exception', resource_id, NULL, opens_min, closes_min, date::text, closed, NULL, NULL
			FROM opening_exception WHERE place_id = ${placeId} AND (resource_id IS NULL OR resource_id IN (${scopeList})) AND date BETWEEN ${sql.placeholder('cal_first')}::date AND ${sql.placeholder('cal_last')}::date
		UNION ALL SELECT 'session', resource_id, NULL, NULL, NULL, NULL, NULL, to_json(starts_at)#>>'{}', to_json(ends_at)#>>'{}'
			FROM open_access_session WHERE place_id = ${placeId} AND (resource_id IS NULL OR resource_id IN (${scopeList})) AND starts_at < ${to}::timestamptz AND ends_at > ${from}::timestamptz
		UNION ALL SELECT 'outage', resource_id, NULL, NULL, NULL, NULL, NULL, to_json(starts_at)#>>'{}', to_json(ends_at)#>>'{}'
			FROM resource_outage WHERE place_id = ${placeId} AND resource_id IN (${scopeList}) AND starts_at < ${to}::timestamptz AND ends_at > ${from}::timestamptz
		UNION ALL SELECT 'busy', resource_id, NULL, NULL, NULL, NULL, NULL, to_json(starts_at)#>>'{}', to_json(ends_at)#>>'{}'
			FROM booking_slot WHERE place_id = ${placeId} AND resource_id IN (${occupiedList})
				AND tstzrange(starts_at, ends_at) && tstzrange(${from}::timestamptz, ${to}::timestamptz)`;
}

/** What changes calendarSql's text: how many resources are in scope (itself, its room) and how many it occupies. */
export interface CalendarShape {
	scope: number;
	occupied: number;
	key: string;
}

/** The shape of the calendar of a resource (see calendarSql). */
export function calendarShape(r: Pick<Resource, 'parentId'>, occupied: string[]): CalendarShape {
	const scope = r.parentId ? 2 : 1;
	return { scope, occupied: occupied.length, key: `${scope}.${occupied.length}` };
}

/** The values of calendarSql's placeholders. */
export function calendarValues(placeId: string, timezone: string, r: Pick<Resource, 'id' | 'parentId'>, occupied: string[], period: Interval): Record<string, unknown> {
	const v: Record<string, unknown> = {
		cal_place: placeId,
		cal_first: addDays(wallClock(period.start, timezone).date, -1),
		cal_last: addDays(wallClock(period.end, timezone).date, 1),
		cal_from: period.start.toISOString(),
		cal_to: period.end.toISOString()
	};
	(r.parentId ? [r.id, r.parentId] : [r.id]).forEach((id, i) => (v['cal_scope' + i] = id));
	occupied.forEach((id, i) => (v['cal_occ' + i] = id));
	return v;
}

/** A row of calendarSql (also what json_agg makes of it). */
export type CalendarRow = { t: string; resource_id: string | null; w: number | null; o: number | null; c: number | null; d: string | null; closed: boolean | null; s: string | null; e: string | null };

/** The booking calendar from the rows of calendarSql. */
export function calendarFrom(rows: CalendarRow[], timezone: string): BookingCalendar {
	const of = (t: string) => rows.filter((r) => r.t === t);
	const rules = of('rule').map((r) => ({ resourceId: r.resource_id, weekday: Number(r.w), opensMin: Number(r.o), closesMin: Number(r.c) }));
	const exceptions = of('exception').map((r) => ({ resourceId: r.resource_id, date: r.d!, closed: Boolean(r.closed), opensMin: r.o === null ? null : Number(r.o), closesMin: r.c === null ? null : Number(r.c) }));
	const window = (r: CalendarRow) => ({ resourceId: r.resource_id, startsAt: new Date(r.s!), endsAt: new Date(r.e!) });
	const sessions = of('session').map(window);
	const outages = of('outage').map(window);
	const busy = of('busy').map((r) => ({ start: new Date(r.s!), end: new Date(r.e!) }));
	return { timezone, rules, exceptions, sessions, outages, busy };
}

/** Loads the rules, exceptions, sessions, outages and occupied times that concern a resource over a period. */
export async function loadCalendar(db: DbOrTx, placeId: string, timezone: string, r: Pick<Resource, 'id' | 'parentId'>, occupied: string[], period: Interval): Promise<BookingCalendar> {
	const shape = calendarShape(r, occupied);
	const res = await executeCached<CalendarRow>(db, 'calendar:' + shape.key, () => calendarSql(shape), calendarValues(placeId, timezone, r, occupied, period));
	return calendarFrom(res.rows, timezone);
}

export function bookableOf(r: Resource): BookableResource {
	return { id: r.id, parentId: r.parentId, slotMinutes: r.slotMinutes, minMinutes: r.minMinutes, maxMinutes: r.maxMinutes, maxAdvanceDays: r.maxAdvanceDays, openAccessOnly: r.openAccessOnly };
}

/** Public resources (active): what anyone may see. Members book the bookable ones. */
export async function publicResource(db: DbOrTx, scope: PlaceScope, idOrSlug: { id?: string; slug?: string }): Promise<Resource> {
	const r = await findResource(db, scope.placeId, idOrSlug);
	if (!r || !r.active) throw new AppError('not_found', { detail: 'resource' });
	return r;
}

/** Largest period one availability query covers (days). */
export const MAX_AVAILABILITY_DAYS = 62;

export interface Availability {
	from: Date;
	to: Date;
	free: Interval[];
	busy: Interval[];
	closed: Interval[];
	outOfService: Interval[];
}

/** Free and busy intervals of an active resource over [from, to) (at most MAX_AVAILABILITY_DAYS). */
export async function availability(db: DbOrTx, scope: PlaceScope, resourceId: string, from: Date, to: Date): Promise<Availability> {
	if (!(to > from)) throw new AppError('invalid_input', { fields: { to: 'booking.end_before_start' } });
	if (to.getTime() - from.getTime() > MAX_AVAILABILITY_DAYS * 86_400_000) throw new AppError('invalid_input', { fields: { to: 'booking.range_too_long' } });
	const r = await publicResource(db, scope, { id: resourceId });
	const occupied = await occupiedResourceIds(db, scope.placeId, r);
	const period = { start: from, end: to };
	const cal = await loadCalendar(db, scope.placeId, scope.timezone, r, occupied, period);
	const b = bookableOf(r);
	const windows = r.bookable ? bookableWindows(period, cal, b) : [];
	const outOfService = intersectIntervals(outageIntervals(cal, b), [period]);
	const busy = intersectIntervals(mergeIntervals(cal.busy), [period]);
	return { from, to, free: subtractIntervals(windows, busy), busy, outOfService, closed: subtractIntervals([period], [...windows, ...busy, ...outOfService]) };
}

/** The week grid of a resource (Monday = local date) for the member page. */
export async function resourceWeek(db: DbOrTx, scope: PlaceScope, r: Resource, monday: string, now: Date): Promise<WeekGrid> {
	const occupied = await occupiedResourceIds(db, scope.placeId, r);
	const period = { start: localMinuteToUtc(monday, 0, scope.timezone), end: localMinuteToUtc(addDays(monday, 7), 0, scope.timezone) };
	const cal = await loadCalendar(db, scope.placeId, scope.timezone, r, occupied, period);
	return weekGrid(monday, cal, bookableOf(r), now);
}

/** Hourly prices (cents) of a resource for members and the public; null when it has no product (free). */
export async function resourcePrices(db: DbOrTx, placeId: string, productId: string | null): Promise<Partial<Record<Audience, number>> | null> {
	if (!productId) return null;
	const rows = await db
		.select({ audience: productPrice.audience, amountCents: productPrice.amountCents })
		.from(productPrice)
		.innerJoin(product, eq(product.id, productPrice.productId))
		.where(and(eq(productPrice.placeId, placeId), eq(productPrice.productId, productId), eq(product.placeId, placeId)));
	if (!rows.length) return null;
	return Object.fromEntries(rows.map((p) => [p.audience, p.amountCents]));
}

export type BookingRow = typeof booking.$inferSelect;

export interface BookingView extends BookingRow {
	resourceName: string;
	resourceSlug: string;
	cancelHours: number;
	orderStatus: string | null;
	orderTotalCents: number | null;
	/** For a booking cancelled by an outage: the outage's reason (the latest one of the machine or its room over it). */
	outageReason: string | null;
}

/**
 * The reason of the outage that cancelled a booking: same place, overlapping it, on what the booking occupies (its
 * resource, the room it is in, or for a room one of its machines: see occupiedResourceIds and putOutOfService).
 */
const outageReason = sql<string | null>`(SELECT o.reason FROM resource_outage o
	WHERE ${booking.cancelReason} = 'maintenance' AND o.place_id = ${booking.placeId}
		AND (o.resource_id = ${booking.resourceId} OR o.resource_id = ${resource.parentId}
			OR o.resource_id IN (SELECT c.id FROM resource c WHERE c.place_id = ${booking.placeId} AND c.parent_id = ${booking.resourceId}))
		AND o.starts_at < ${booking.endsAt} AND o.ends_at > ${booking.startsAt}
	ORDER BY o.created_at DESC LIMIT 1)`;

function bookingViewQuery(db: DbOrTx) {
	return db
		.select({ b: booking, resourceName: resource.name, resourceSlug: resource.slug, cancelHours: resource.cancelHours, orderStatus: checkoutOrder.status, orderTotalCents: checkoutOrder.totalCents, outageReason })
		.from(booking)
		.innerJoin(resource, eq(resource.id, booking.resourceId))
		.leftJoin(checkoutOrder, eq(checkoutOrder.id, booking.orderId));
}

/** The caller's bookings in the place: upcoming first (soonest first), then the last past ones. */
export async function listMyBookings(db: DbOrTx, scope: PlaceScope, opts: { limit?: number } = {}): Promise<BookingView[]> {
	requireMember(scope);
	const rows = await bookingViewQuery(db)
		.where(and(eq(booking.placeId, scope.placeId), eq(booking.userId, scope.userId!)))
		.orderBy(desc(booking.startsAt))
		.limit(Math.min(opts.limit ?? 100, 500));
	return rows.map((r) => ({ ...r.b, resourceName: r.resourceName, resourceSlug: r.resourceSlug, cancelHours: r.cancelHours, orderStatus: r.orderStatus, orderTotalCents: r.orderTotalCents, outageReason: r.outageReason }));
}

/** One booking: the person's own, or any of the place for staff (bookings.manage); not_found otherwise. */
export async function getBooking(db: DbOrTx, scope: PlaceScope, bookingId: string): Promise<BookingView> {
	requireMember(scope);
	if (typeof bookingId !== 'string' || bookingId.length > 64) throw new AppError('not_found', { detail: 'booking' });
	const [r] = await bookingViewQuery(db).where(and(eq(booking.placeId, scope.placeId), eq(booking.id, bookingId)));
	if (!r || (r.b.userId !== scope.userId && !can(scope, 'bookings.manage'))) throw new AppError('not_found', { detail: 'booking' });
	return { ...r.b, resourceName: r.resourceName, resourceSlug: r.resourceSlug, cancelHours: r.cancelHours, orderStatus: r.orderStatus, orderTotalCents: r.orderTotalCents, outageReason: r.outageReason };
}

export interface Estimate {
	minutes: number;
	priceCents: number;
	walletMinutes: number;
	dueCents: number;
	/** What would refuse this slot now (closed, out_of_service, slot_taken, invalid_input), if anything. */
	problem: SlotProblem | { code: 'not_qualified'; field?: undefined; key?: undefined } | null;
}

/** What booking a slot would cost the caller (hour packs first) and whether it is possible now (read-only). */
export async function estimateBooking(db: DbOrTx, scope: PlaceScope, r: Resource, iv: Interval, now: Date): Promise<Estimate> {
	const occupied = await occupiedResourceIds(db, scope.placeId, r);
	const cal = await loadCalendar(db, scope.placeId, scope.timezone, r, occupied, iv);
	let problem: Estimate['problem'] = checkSlot(iv, cal, bookableOf(r), { now, staff: can(scope, 'bookings.manage') });
	if (!problem && r.requiresQualification && scope.userId && !(await hasValidQualification(db, scope.placeId, scope.userId, r.id, iv.start))) problem = { code: 'not_qualified' };
	const prices = await resourcePrices(db, scope.placeId, r.productId);
	const audience: Audience = scope.roleKey === 'resident' ? 'resident' : scope.roleKey ? 'member' : 'public';
	const hour = prices ? (prices[audience] ?? prices.public ?? 0) : 0;
	const balance = scope.userId && hour > 0 ? (await walletBalances(db, scope.placeId, scope.userId)).minutes : 0;
	const minutes = durationMinutes(iv);
	return { minutes, problem, ...splitPayment(hour, minutes, balance) };
}
