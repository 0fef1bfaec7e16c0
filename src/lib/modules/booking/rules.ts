// Pure rules of the machine space bookings (decision 013): when a resource can be booked, what a week looks like,
// and whether a requested slot is acceptable. No clock and no I/O: `now` and the place's time zone come in.
// why: opening hours are wall-clock times of the place ("Tuesday 14:00–19:00 in Paris"); they become instants per
// date through the zone, so a DST Sunday has 23 or 25 hours and a booking across the change lasts what it lasts.
import { z } from 'zod';
import { addDays, wallClock, zonedTimeToUtc } from '../places/time';

export interface Interval {
	start: Date;
	end: Date;
}

export interface OpeningRuleRow {
	resourceId: string | null;
	/** ISO weekday: 1 = Monday … 7 = Sunday. */
	weekday: number;
	opensMin: number;
	closesMin: number;
}

export interface OpeningExceptionRow {
	resourceId: string | null;
	date: string;
	closed: boolean;
	opensMin: number | null;
	closesMin: number | null;
}

export interface ResourceWindowRow {
	resourceId: string | null;
	startsAt: Date;
	endsAt: Date;
}

/** What the rules need to know about the resource being booked. */
export interface BookableResource {
	id: string;
	parentId: string | null;
	slotMinutes: number;
	minMinutes: number;
	maxMinutes: number;
	maxAdvanceDays: number;
	openAccessOnly: boolean;
}

/** Everything that decides when a resource is bookable, loaded for a period around the request. */
export interface BookingCalendar {
	timezone: string;
	rules: OpeningRuleRow[];
	exceptions: OpeningExceptionRow[];
	sessions: ResourceWindowRow[];
	outages: ResourceWindowRow[];
	/** Occupied intervals of the resource (its own slots; for a room, its machines' too). */
	busy: Interval[];
}

const MINUTE = 60_000;

// ——— Local time helpers ———

/** The instant of a minute of a local date (0…1440; 1440 is the next day's midnight). */
export function localMinuteToUtc(date: string, minute: number, timeZone: string): Date {
	const day = Math.floor(minute / 1440);
	const m = minute - day * 1440;
	const d = day ? addDays(date, day) : date;
	const hh = String(Math.floor(m / 60)).padStart(2, '0');
	const mm = String(m % 60).padStart(2, '0');
	return zonedTimeToUtc(d, `${hh}:${mm}`, timeZone);
}

/** Minutes from local midnight of an instant in the zone (the wall clock, 0…1439). */
export function localMinuteOfDay(instant: Date, timeZone: string): number {
	const [h, m] = wallClock(instant, timeZone).time.split(':').map(Number);
	return h * 60 + m;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
	const d = new Date(`${date}T12:00:00Z`).getUTCDay();
	return d === 0 ? 7 : d;
}

/** The Monday (local date) of the week containing a local date. */
export function mondayOf(date: string): string {
	return addDays(date, 1 - isoWeekday(date));
}

// ——— Interval algebra (half-open [start, end)) ———

/** Sorts and merges overlapping or touching intervals. */
export function mergeIntervals(list: Interval[]): Interval[] {
	const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start.getTime() - b.start.getTime());
	const out: Interval[] = [];
	for (const i of sorted) {
		const last = out[out.length - 1];
		if (last && i.start.getTime() <= last.end.getTime()) {
			if (i.end > last.end) last.end = new Date(i.end);
		} else out.push({ start: new Date(i.start), end: new Date(i.end) });
	}
	return out;
}

/** The parts of `a` that are also in `b` (both merged). */
export function intersectIntervals(a: Interval[], b: Interval[]): Interval[] {
	const out: Interval[] = [];
	const x = mergeIntervals(a);
	const y = mergeIntervals(b);
	let i = 0;
	let j = 0;
	while (i < x.length && j < y.length) {
		const s = Math.max(x[i].start.getTime(), y[j].start.getTime());
		const e = Math.min(x[i].end.getTime(), y[j].end.getTime());
		if (e > s) out.push({ start: new Date(s), end: new Date(e) });
		if (x[i].end.getTime() < y[j].end.getTime()) i++;
		else j++;
	}
	return out;
}

/** The parts of `a` not covered by `b`. */
export function subtractIntervals(a: Interval[], b: Interval[]): Interval[] {
	const cuts = mergeIntervals(b);
	const out: Interval[] = [];
	for (const i of mergeIntervals(a)) {
		let cur = i.start.getTime();
		const end = i.end.getTime();
		for (const c of cuts) {
			if (c.end.getTime() <= cur || c.start.getTime() >= end) continue;
			if (c.start.getTime() > cur) out.push({ start: new Date(cur), end: new Date(c.start) });
			cur = Math.max(cur, c.end.getTime());
			if (cur >= end) break;
		}
		if (cur < end) out.push({ start: new Date(cur), end: new Date(end) });
	}
	return out;
}

export function overlaps(a: Interval, b: Interval): boolean {
	return a.start < b.end && b.start < a.end;
}

/** Whether `inner` lies entirely inside one of the (merged) intervals. */
export function covered(inner: Interval, list: Interval[]): boolean {
	return mergeIntervals(list).some((i) => i.start <= inner.start && i.end >= inner.end);
}

// ——— Opening hours ———

/** Whether a row applies to the resource: place-wide (null), the resource itself or the room it is in. */
function appliesTo(rowResource: string | null, r: Pick<BookableResource, 'id' | 'parentId'>): boolean {
	return rowResource === null || rowResource === r.id || (r.parentId !== null && rowResource === r.parentId);
}

/**
 * The weekly rules that apply to a resource: its own when it has any, else its room's, else the place's
 * (a resource's hours replace the place's; they are not added to them).
 */
export function effectiveRules(rules: OpeningRuleRow[], r: Pick<BookableResource, 'id' | 'parentId'>): OpeningRuleRow[] {
	const own = rules.filter((x) => x.resourceId === r.id);
	if (own.length) return own;
	const room = r.parentId ? rules.filter((x) => x.resourceId === r.parentId) : [];
	if (room.length) return room;
	return rules.filter((x) => x.resourceId === null);
}

/** Opening ranges (minutes from local midnight) of a local date, exceptions first (resource's, room's, place's). */
export function openingRangesOn(date: string, cal: Pick<BookingCalendar, 'rules' | 'exceptions'>, r: Pick<BookableResource, 'id' | 'parentId'>): Array<[number, number]> {
	const onDate = cal.exceptions.filter((e) => e.date === date);
	const pick = [onDate.filter((e) => e.resourceId === r.id), r.parentId ? onDate.filter((e) => e.resourceId === r.parentId) : [], onDate.filter((e) => e.resourceId === null)].find((l) => l.length);
	if (pick) {
		if (pick.some((e) => e.closed)) return [];
		return pick.map((e) => [e.opensMin!, e.closesMin!] as [number, number]).sort((a, b) => a[0] - b[0]);
	}
	const wd = isoWeekday(date);
	return effectiveRules(cal.rules, r)
		.filter((x) => x.weekday === wd)
		.map((x) => [x.opensMin, x.closesMin] as [number, number])
		.sort((a, b) => a[0] - b[0]);
}

/** Local dates (YYYY-MM-DD) touched by an interval, with one day of margin on each side. */
function datesAround(iv: Interval, timeZone: string): string[] {
	const first = addDays(wallClock(iv.start, timeZone).date, -1);
	const last = addDays(wallClock(iv.end, timeZone).date, 1);
	const out: string[] = [];
	for (let d = first; d <= last && out.length < 800; d = addDays(d, 1)) out.push(d);
	return out;
}

/** Opening intervals (instants) of the resource over a period, merged (9–12 and 12–19 make 9–19). */
export function openIntervals(period: Interval, cal: Pick<BookingCalendar, 'timezone' | 'rules' | 'exceptions'>, r: Pick<BookableResource, 'id' | 'parentId'>): Interval[] {
	const list: Interval[] = [];
	for (const date of datesAround(period, cal.timezone)) {
		for (const [o, c] of openingRangesOn(date, cal, r)) list.push({ start: localMinuteToUtc(date, o, cal.timezone), end: localMinuteToUtc(date, c, cal.timezone) });
	}
	return intersectIntervals(list, [period]);
}

/** Open-access windows that cover the resource (place-wide, its own, its room's). */
export function sessionIntervals(cal: Pick<BookingCalendar, 'sessions'>, r: Pick<BookableResource, 'id' | 'parentId'>): Interval[] {
	return mergeIntervals(cal.sessions.filter((s) => appliesTo(s.resourceId, r)).map((s) => ({ start: s.startsAt, end: s.endsAt })));
}

/** Out-of-service periods of the resource (its own, or its room's). */
export function outageIntervals(cal: Pick<BookingCalendar, 'outages'>, r: Pick<BookableResource, 'id' | 'parentId'>): Interval[] {
	return mergeIntervals(cal.outages.filter((s) => s.resourceId !== null && appliesTo(s.resourceId, r)).map((s) => ({ start: s.startsAt, end: s.endsAt })));
}

/** When members may book at all over a period: opening hours (∩ open-access sessions when required) minus outages. */
export function bookableWindows(period: Interval, cal: BookingCalendar, r: BookableResource): Interval[] {
	let open = openIntervals(period, cal, r);
	if (r.openAccessOnly) open = intersectIntervals(open, sessionIntervals(cal, r));
	return subtractIntervals(open, outageIntervals(cal, r));
}

/** Free intervals: bookable windows minus what is already booked. */
export function freeIntervals(period: Interval, cal: BookingCalendar, r: BookableResource): Interval[] {
	return subtractIntervals(bookableWindows(period, cal, r), cal.busy);
}

// ——— Validating a request ———

export type SlotProblem =
	| { code: 'invalid_input'; field: 'startsAt' | 'endsAt'; key: string }
	| { code: 'closed' | 'out_of_service' | 'slot_taken'; field?: undefined; key?: undefined };

export interface SlotCheckOptions {
	now: Date;
	/** Staff may book beyond max_advance_days and outside open-access sessions. */
	staff?: boolean;
	/** A staff block ignores opening hours (it closes a time on purpose). */
	block?: boolean;
}

/**
 * Checks a requested slot against the resource's settings and calendar, in this order: times on the step
 * (slot_minutes from local midnight), duration between min and max, not in the past, not beyond max_advance_days,
 * inside opening hours (closed), inside an open-access session when required (closed), not in an outage
 * (out_of_service), not overlapping what is booked (slot_taken). Returns the first problem, or null.
 */
export function checkSlot(req: Interval, cal: BookingCalendar, r: BookableResource, opts: SlotCheckOptions): SlotProblem | null {
	const tz = cal.timezone;
	if (!(req.end > req.start)) return { code: 'invalid_input', field: 'endsAt', key: 'booking.end_before_start' };
	if (req.start.getUTCSeconds() || req.start.getUTCMilliseconds() || localMinuteOfDay(req.start, tz) % r.slotMinutes) return { code: 'invalid_input', field: 'startsAt', key: 'booking.off_step' };
	if (req.end.getUTCSeconds() || req.end.getUTCMilliseconds() || localMinuteOfDay(req.end, tz) % r.slotMinutes) return { code: 'invalid_input', field: 'endsAt', key: 'booking.off_step' };
	const minutes = (req.end.getTime() - req.start.getTime()) / MINUTE;
	if (minutes < r.minMinutes) return { code: 'invalid_input', field: 'endsAt', key: 'booking.too_short' };
	if (minutes > r.maxMinutes) return { code: 'invalid_input', field: 'endsAt', key: 'booking.too_long' };
	if (req.start < opts.now) return { code: 'invalid_input', field: 'startsAt', key: 'booking.in_past' };
	if (!opts.staff) {
		const lastDay = addDays(wallClock(opts.now, tz).date, r.maxAdvanceDays + 1);
		if (req.end > localMinuteToUtc(lastDay, 0, tz)) return { code: 'invalid_input', field: 'startsAt', key: 'booking.too_far' };
	}
	if (!opts.block) {
		if (!covered(req, openIntervals(req, cal, r))) return { code: 'closed' };
		if (r.openAccessOnly && !opts.staff && !covered(req, sessionIntervals(cal, r))) return { code: 'closed' };
	}
	if (outageIntervals(cal, r).some((o) => overlaps(o, req))) return { code: 'out_of_service' };
	if (cal.busy.some((b) => overlaps(b, req))) return { code: 'slot_taken' };
	return null;
}

/** Real minutes of an interval (a booking across the spring change lasts one hour less than the clock says). */
export function durationMinutes(iv: Interval): number {
	return Math.round((iv.end.getTime() - iv.start.getTime()) / MINUTE);
}

/** Price of a duration at an hourly price (integer cents, rounded to the cent). */
export function priceForMinutes(hourCents: number, minutes: number): number {
	return Math.round((hourCents * minutes) / 60);
}

/**
 * How a booking is paid: hour-pack minutes first (as many as the balance allows), the rest in cents at the hourly
 * price. Returns the minutes taken from the wallet and the amount left to pay.
 */
export function splitPayment(hourCents: number, minutes: number, walletMinutes: number): { walletMinutes: number; dueCents: number; priceCents: number } {
	const priceCents = priceForMinutes(hourCents, minutes);
	if (hourCents <= 0) return { walletMinutes: 0, dueCents: 0, priceCents: 0 };
	const use = Math.max(0, Math.min(walletMinutes, minutes));
	return { walletMinutes: use, dueCents: priceForMinutes(hourCents, minutes - use), priceCents };
}

/** The latest moment a member may cancel or move their booking alone. */
export function cancelDeadline(startsAt: Date, cancelHours: number): Date {
	return new Date(startsAt.getTime() - cancelHours * 3_600_000);
}

// ——— The week grid ———

export type CellState = 'free' | 'booked' | 'closed' | 'maintenance' | 'past';

export interface GridCell {
	start: Date;
	end: Date;
	state: CellState;
}

export interface GridDay {
	date: string;
	/** One cell per row; null where the wall-clock time does not exist that day (spring change). */
	cells: Array<GridCell | null>;
}

export interface WeekGrid {
	monday: string;
	/** Row labels: minutes from local midnight. */
	rows: number[];
	days: GridDay[];
}

/**
 * A week of cells (slot_minutes each) from Monday `monday` in the place's zone, rows spanning the earliest opening
 * to the latest closing of the week (08:00–20:00 when closed all week). A cell is maintenance when an outage
 * touches it, booked when a booking does, closed outside the bookable windows, past before `now`, else free.
 */
export function weekGrid(monday: string, cal: BookingCalendar, r: BookableResource, now: Date, opts: { staff?: boolean } = {}): WeekGrid {
	const tz = cal.timezone;
	const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
	let lo = 1440;
	let hi = 0;
	for (const d of dates)
		for (const [o, c] of openingRangesOn(d, cal, r)) {
			lo = Math.min(lo, o);
			hi = Math.max(hi, c);
		}
	if (hi <= lo) [lo, hi] = [8 * 60, 20 * 60];
	const step = r.slotMinutes;
	lo = Math.floor(lo / step) * step;
	hi = Math.ceil(hi / step) * step;
	const rows: number[] = [];
	for (let m = lo; m < hi && rows.length < 300; m += step) rows.push(m);
	const period = { start: localMinuteToUtc(dates[0], 0, tz), end: localMinuteToUtc(addDays(dates[6], 1), 0, tz) };
	let bookable = openIntervals(period, cal, r);
	if (r.openAccessOnly && !opts.staff) bookable = intersectIntervals(bookable, sessionIntervals(cal, r));
	const outages = outageIntervals(cal, r);
	const days = dates.map((date) => ({
		date,
		cells: rows.map((m): GridCell | null => {
			const start = localMinuteToUtc(date, m, tz);
			const end = localMinuteToUtc(date, m + step, tz);
			// why: 02:00–03:00 does not exist on the spring Sunday in Paris; zonedTimeToUtc moved it forward.
			if (localMinuteOfDay(start, tz) !== m || !(end > start)) return null;
			const cell = { start, end };
			let state: CellState;
			if (outages.some((o) => overlaps(o, cell))) state = 'maintenance';
			else if (cal.busy.some((b) => overlaps(b, cell))) state = 'booked';
			else if (!covered(cell, bookable)) state = 'closed';
			else if (start < now) state = 'past';
			else state = 'free';
			return { ...cell, state };
		})
	}));
	return { monday, rows, days };
}

// ——— Inputs ———

const isoInstant = z.iso.datetime({ offset: true, message: 'field.invalid' });
const id64 = z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid');

/** A booking request (API and pages): instants with their offset, ISO 8601. */
export const bookingInput = z
	.strictObject({
		resourceId: id64,
		startsAt: z.string('field.required').pipe(isoInstant),
		endsAt: z.string('field.required').pipe(isoInstant),
		/** Staff (bookings.manage): the person booked for. */
		userId: id64.optional(),
		/** Staff: 'block' holds the time with no person. */
		kind: z.enum(['booking', 'block'], 'field.invalid').default('booking'),
		note: z.string('field.invalid').trim().max(500, 'field.too_long').default('')
	})
	.refine((o) => new Date(o.endsAt) > new Date(o.startsAt), { message: 'field.end_after_start', path: ['endsAt'] });
export type BookingInput = z.input<typeof bookingInput>;

export const rescheduleInput = z
	.strictObject({
		startsAt: z.string('field.required').pipe(isoInstant),
		endsAt: z.string('field.required').pipe(isoInstant)
	})
	.refine((o) => new Date(o.endsAt) > new Date(o.startsAt), { message: 'field.end_after_start', path: ['endsAt'] });
export type RescheduleInput = z.input<typeof rescheduleInput>;

export const outageInput = z
	.strictObject({
		resourceId: id64,
		startsAt: z.string('field.required').pipe(isoInstant),
		endsAt: z.string('field.required').pipe(isoInstant),
		reason: z.string('field.required').trim().min(3, 'field.required').max(500, 'field.too_long')
	})
	.refine((o) => new Date(o.endsAt) > new Date(o.startsAt), { message: 'field.end_after_start', path: ['endsAt'] });
export type OutageInput = z.input<typeof outageInput>;

/**
 * A slot chosen on the page: a local date, a local start time and a duration in minutes, turned into instants in the
 * place's zone. Undefined for values that are not a date, a time or a whole number of minutes.
 */
export function slotFromForm(date: unknown, time: unknown, minutes: unknown, timeZone: string): Interval | undefined {
	if (typeof date !== 'string' || typeof time !== 'string' || typeof minutes !== 'string') return undefined;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time) || !/^\d{1,5}$/.test(minutes)) return undefined;
	const d = new Date(`${date}T00:00:00Z`);
	if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) return undefined;
	const [h, m] = time.split(':').map(Number);
	const start = localMinuteToUtc(date, h * 60 + m, timeZone);
	const dur = Number(minutes);
	if (dur <= 0 || dur > 10080) return undefined;
	return { start, end: new Date(start.getTime() + dur * MINUTE) };
}
