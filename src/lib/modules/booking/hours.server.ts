// When the place and its resources are open: weekly pattern, exceptions, open-access sessions (bookings.manage),
// and the published opening hours (anyone). One transaction per use case with its audit entry.
import { and, asc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../server/db/client';
import { openAccessSession, openingException, openingRule, placeMember, resource, role, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { requirePermission, type PlaceScope } from '../places/policy';
import { addDays } from '../places/time';
import { exceptionInput, openAccessInput, weeklyHoursInput, type ExceptionInput, type OpenAccessInput, type WeeklyHoursInput } from './admin-inputs';
import { localDate, localMinutesToUtc, mondayOf, openingHoursByDay, weekHours, type DayHours, type ExceptionLike, type RuleLike } from './hours';

export type OpeningRule = typeof openingRule.$inferSelect;
export type OpeningException = typeof openingException.$inferSelect;

export interface SessionRow {
	id: string;
	resourceId: string | null;
	resourceName: string | null;
	startsAt: Date;
	endsAt: Date;
	referentId: string | null;
	referentName: string | null;
	note: string;
}

async function resourceOfPlace(db: DbOrTx, scope: PlaceScope, id: string | null, field = 'resourceId'): Promise<void> {
	if (!id) return;
	const [r] = await db
		.select({ id: resource.id })
		.from(resource)
		.where(and(eq(resource.placeId, scope.placeId), eq(resource.id, id)));
	if (!r) throw new AppError('invalid_input', { fields: { [field]: 'resources.unknown' } });
}

export async function listRules(db: DbOrTx, placeId: string): Promise<OpeningRule[]> {
	return db.select().from(openingRule).where(eq(openingRule.placeId, placeId)).orderBy(asc(openingRule.weekday), asc(openingRule.opensMin));
}

export async function listExceptions(db: DbOrTx, placeId: string, fromDate: string, toDate?: string): Promise<OpeningException[]> {
	return db
		.select()
		.from(openingException)
		.where(and(eq(openingException.placeId, placeId), gte(openingException.date, fromDate), toDate ? lt(openingException.date, toDate) : undefined))
		.orderBy(asc(openingException.date), asc(openingException.opensMin));
}

export async function listSessions(db: DbOrTx, placeId: string, from: Date, to?: Date): Promise<SessionRow[]> {
	return db
		.select({
			id: openAccessSession.id,
			resourceId: openAccessSession.resourceId,
			resourceName: resource.name,
			startsAt: openAccessSession.startsAt,
			endsAt: openAccessSession.endsAt,
			referentId: openAccessSession.referentId,
			referentName: user.name,
			note: openAccessSession.note
		})
		.from(openAccessSession)
		.leftJoin(resource, and(eq(resource.id, openAccessSession.resourceId), eq(resource.placeId, placeId)))
		.leftJoin(user, eq(user.id, openAccessSession.referentId))
		.where(and(eq(openAccessSession.placeId, placeId), gte(openAccessSession.endsAt, from), to ? lt(openAccessSession.startsAt, to) : undefined))
		.orderBy(asc(openAccessSession.startsAt));
}

/** The place's weekly opening hours by day key (the only source: its opening rules; see openingHoursByDay). */
export async function placeOpeningHours(db: DbOrTx, placeId: string) {
	return openingHoursByDay(await listRules(db, placeId));
}

/** What the hours page of the administration shows: rules, exceptions and sessions from today on. */
export async function hoursAdmin(db: DbOrTx, scope: PlaceScope, now: Date) {
	requirePermission(scope, 'bookings.manage');
	const today = localDate(now, scope.timezone);
	return {
		today,
		rules: await listRules(db, scope.placeId),
		exceptions: await listExceptions(db, scope.placeId, today),
		sessions: await listSessions(db, scope.placeId, now)
	};
}

/** People of the place who may lead an open-access session (staff with bookings.manage or trainings.grant). */
export async function referentOptions(db: DbOrTx, scope: PlaceScope): Promise<Array<{ id: string; name: string }>> {
	requirePermission(scope, 'bookings.manage');
	const rows = await db
		.select({ id: user.id, name: user.name, permissions: role.permissions })
		.from(placeMember)
		.innerJoin(user, eq(user.id, placeMember.userId))
		.innerJoin(role, and(eq(role.id, placeMember.roleId), eq(role.placeId, scope.placeId)))
		.where(eq(placeMember.placeId, scope.placeId))
		.orderBy(asc(user.name));
	return rows.filter((r) => r.permissions?.includes('bookings.manage') || r.permissions?.includes('trainings.grant')).map((r) => ({ id: r.id, name: r.name }));
}

/**
 * Replaces the weekly pattern of the place (resourceId null) or of one resource. A resource with no rules of
 * its own follows the place's; an empty pattern for a resource brings it back to the place's hours.
 */
export async function setWeeklyHours(db: Db, scope: PlaceScope, raw: WeeklyHoursInput): Promise<void> {
	requirePermission(scope, 'bookings.manage');
	const input = parseInput(weeklyHoursInput, raw);
	await db.transaction(async (tx) => {
		await resourceOfPlace(tx, scope, input.resourceId);
		// why: two people saving the pattern at once must not interleave their delete + insert (duplicated ranges).
		await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${'opening_rule:' + scope.placeId}))`);
		await tx.delete(openingRule).where(and(eq(openingRule.placeId, scope.placeId), input.resourceId ? eq(openingRule.resourceId, input.resourceId) : isNull(openingRule.resourceId)));
		const rows = Object.entries(input.days).flatMap(([day, ranges]) => ranges.map((r) => ({ id: newId(), placeId: scope.placeId, resourceId: input.resourceId, weekday: Number(day), opensMin: r.opensMin, closesMin: r.closesMin })));
		if (rows.length) await tx.insert(openingRule).values(rows);
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.hours_set', targetType: input.resourceId ? 'resource' : 'place', targetId: input.resourceId ?? scope.placeId, data: { days: input.days } });
	});
}

/** Adds a closure or special hours on a date (one row per range). */
export async function addException(db: Db, scope: PlaceScope, raw: ExceptionInput): Promise<{ ids: string[] }> {
	requirePermission(scope, 'bookings.manage');
	const input = parseInput(exceptionInput, raw);
	return db.transaction(async (tx) => {
		await resourceOfPlace(tx, scope, input.resourceId);
		const rows = input.closed
			? [{ id: newId(), placeId: scope.placeId, resourceId: input.resourceId, date: input.date, closed: true, opensMin: null, closesMin: null, reason: input.reason }]
			: input.ranges.map((r) => ({ id: newId(), placeId: scope.placeId, resourceId: input.resourceId, date: input.date, closed: false, opensMin: r.opensMin, closesMin: r.closesMin, reason: input.reason }));
		await tx.insert(openingException).values(rows);
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.exception_add', targetType: input.resourceId ? 'resource' : 'place', targetId: input.resourceId ?? scope.placeId, data: { date: input.date, closed: input.closed, ranges: input.ranges, reason: input.reason } });
		return { ids: rows.map((r) => r.id) };
	});
}

/** Removes an exception of the place. */
export async function deleteException(db: Db, scope: PlaceScope, id: string): Promise<void> {
	requirePermission(scope, 'bookings.manage');
	await db.transaction(async (tx) => {
		const [row] = await tx
			.delete(openingException)
			.where(and(eq(openingException.placeId, scope.placeId), eq(openingException.id, id)))
			.returning();
		if (!row) throw new AppError('not_found', { detail: 'opening_exception' });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.exception_delete', targetType: 'place', targetId: scope.placeId, data: { date: row.date, reason: row.reason } });
	});
}

/** Adds an open-access session (times of a local date in the place's zone; the referent a member of the place). */
export async function addOpenAccessSession(db: Db, scope: PlaceScope, raw: OpenAccessInput): Promise<{ id: string }> {
	requirePermission(scope, 'bookings.manage');
	const input = parseInput(openAccessInput, raw);
	const startsAt = localMinutesToUtc(input.date, input.startMin, scope.timezone);
	const endsAt = localMinutesToUtc(input.date, input.endMin, scope.timezone);
	// why: a start inside a spring-forward gap moves forward; the window must still have a length.
	if (endsAt <= startsAt) throw new AppError('invalid_input', { fields: { endMin: 'hours.bad_range' } });
	return db.transaction(async (tx) => {
		await resourceOfPlace(tx, scope, input.resourceId);
		if (input.referentId) {
			const [m] = await tx
				.select({ userId: placeMember.userId })
				.from(placeMember)
				.where(and(eq(placeMember.placeId, scope.placeId), eq(placeMember.userId, input.referentId)));
			if (!m) throw new AppError('invalid_input', { fields: { referentId: 'hours.unknown_referent' } });
		}
		const id = newId();
		await tx.insert(openAccessSession).values({ id, placeId: scope.placeId, resourceId: input.resourceId, startsAt, endsAt, referentId: input.referentId, note: input.note });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.open_access_add', targetType: 'open_access_session', targetId: id, data: { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), resourceId: input.resourceId, referentId: input.referentId } });
		return { id };
	});
}

/** Removes an open-access session of the place. */
export async function deleteOpenAccessSession(db: Db, scope: PlaceScope, id: string): Promise<void> {
	requirePermission(scope, 'bookings.manage');
	await db.transaction(async (tx) => {
		const [row] = await tx
			.delete(openAccessSession)
			.where(and(eq(openAccessSession.placeId, scope.placeId), eq(openAccessSession.id, id)))
			.returning();
		if (!row) throw new AppError('not_found', { detail: 'open_access_session' });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'booking.open_access_delete', targetType: 'open_access_session', targetId: id, data: { startsAt: row.startsAt.toISOString() } });
	});
}

export interface PublicHours {
	/** This week, Monday to Sunday, with exceptions applied. */
	week: DayHours[];
	/** Next week, the same. */
	nextWeek: DayHours[];
	/** Place-wide closures and special hours of the next 90 days. */
	upcoming: Array<{ date: string; closed: boolean; ranges: Array<{ opensMin: number; closesMin: number }>; reason: string }>;
	/** Open-access sessions of the next 14 days. */
	sessions: Array<{ startsAt: Date; endsAt: Date; resourceName: string | null; note: string }>;
	today: string;
}

/** The place's published opening hours (anyone may read them): place-wide rules and exceptions only. */
export async function publicHours(db: DbOrTx, scope: PlaceScope, now: Date): Promise<PublicHours> {
	const today = localDate(now, scope.timezone);
	const monday = mondayOf(today);
	const rules: RuleLike[] = (await listRules(db, scope.placeId)).filter((r) => r.resourceId === null);
	const exceptions: ExceptionLike[] = (await listExceptions(db, scope.placeId, monday, addDays(today, 91))).filter((e) => e.resourceId === null);
	const byDate = new Map<string, ExceptionLike[]>();
	for (const e of exceptions) if (e.date >= today) byDate.set(e.date, [...(byDate.get(e.date) ?? []), e]);
	const sessions = (await listSessions(db, scope.placeId, now, new Date(now.getTime() + 14 * 86_400_000))).map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, resourceName: s.resourceName, note: s.note }));
	return {
		today,
		week: weekHours(monday, rules, exceptions),
		nextWeek: weekHours(addDays(monday, 7), rules, exceptions),
		upcoming: [...byDate.entries()].map(([date, rows]) => ({
			date,
			closed: rows.some((r) => r.closed),
			ranges: rows.filter((r) => !r.closed).map((r) => ({ opensMin: r.opensMin ?? 0, closesMin: r.closesMin ?? 0 })),
			reason: rows.map((r) => r.reason).filter(Boolean).join(' · ')
		})),
		sessions
	};
}
