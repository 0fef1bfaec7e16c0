import { describe, expect, it } from 'vitest';
import {
	bookingInput,
	checkSlot,
	durationMinutes,
	freeIntervals,
	localMinuteToUtc,
	mergeIntervals,
	mondayOf,
	openIntervals,
	openingRangesOn,
	slotFromForm,
	splitPayment,
	subtractIntervals,
	weekGrid,
	type BookableResource,
	type BookingCalendar
} from './rules';

const TZ = 'Europe/Paris';
const at = (iso: string) => new Date(iso);
const laser: BookableResource = { id: 'laser', parentId: 'room', slotMinutes: 30, minMinutes: 30, maxMinutes: 240, maxAdvanceDays: 30, openAccessOnly: false };
/** Every day 09:00–12:00 and 14:00–19:00 (place-wide). */
const everyDay = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
	{ resourceId: null, weekday, opensMin: 540, closesMin: 720 },
	{ resourceId: null, weekday, opensMin: 840, closesMin: 1140 }
]);
const cal = (over: Partial<BookingCalendar> = {}): BookingCalendar => ({ timezone: TZ, rules: everyDay, exceptions: [], sessions: [], outages: [], busy: [], ...over });
const NOW = at('2026-06-01T06:00:00Z'); // Monday 08:00 in Paris

describe('opening hours', () => {
	it('turns local ranges into instants in the place’s zone (summer +2, winter +1)', () => {
		expect(localMinuteToUtc('2026-06-02', 540, TZ).toISOString()).toBe('2026-06-02T07:00:00.000Z');
		expect(localMinuteToUtc('2026-01-06', 540, TZ).toISOString()).toBe('2026-01-06T08:00:00.000Z');
		expect(localMinuteToUtc('2026-01-06', 1440, TZ).toISOString()).toBe('2026-01-06T23:00:00.000Z');
	});
	it('a resource’s own hours replace the place’s; exceptions close a date or change its hours', () => {
		const own = [{ resourceId: 'laser', weekday: 2, opensMin: 600, closesMin: 660 }];
		expect(openingRangesOn('2026-06-02', { rules: [...everyDay, ...own], exceptions: [] }, laser)).toEqual([[600, 660]]);
		// another machine keeps the place's hours
		expect(openingRangesOn('2026-06-02', { rules: [...everyDay, ...own], exceptions: [] }, { id: 'cnc', parentId: 'room' })).toEqual([
			[540, 720],
			[840, 1140]
		]);
		const closedDay = { resourceId: null, date: '2026-06-02', closed: true, opensMin: null, closesMin: null };
		expect(openingRangesOn('2026-06-02', { rules: everyDay, exceptions: [closedDay] }, laser)).toEqual([]);
		const late = { resourceId: 'room', date: '2026-06-03', closed: false, opensMin: 1080, closesMin: 1380 };
		expect(openingRangesOn('2026-06-03', { rules: everyDay, exceptions: [late] }, laser)).toEqual([[1080, 1380]]);
	});
	it('merges ranges that touch across midnight', () => {
		const allDay = [1, 2].map((weekday) => ({ resourceId: null, weekday, opensMin: 0, closesMin: 1440 }));
		const open = openIntervals({ start: at('2026-06-01T00:00:00Z'), end: at('2026-06-03T12:00:00Z') }, { timezone: TZ, rules: allDay, exceptions: [] }, laser);
		expect(open).toEqual([{ start: at('2026-06-01T00:00:00Z'), end: at('2026-06-02T22:00:00Z') }]);
	});
});

describe('checkSlot', () => {
	const ok = (s: string, e: string, c = cal(), r = laser, opts = {}) => checkSlot({ start: at(s), end: at(e) }, c, r, { now: NOW, ...opts });
	it('accepts a slot inside opening hours, on the step', () => {
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:30:00Z')).toBeNull(); // 10:00–11:30 Paris
	});
	it('refuses off-step times, too short and too long durations, the past and too far ahead', () => {
		expect(ok('2026-06-02T08:15:00Z', '2026-06-02T09:15:00Z')).toMatchObject({ code: 'invalid_input', field: 'startsAt', key: 'booking.off_step' });
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:10:00Z')).toMatchObject({ field: 'endsAt', key: 'booking.off_step' });
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T08:00:00Z')?.key).toBe('booking.end_before_start');
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T08:30:00Z', cal(), { ...laser, minMinutes: 60 })?.key).toBe('booking.too_short');
		expect(ok('2026-06-02T12:00:00Z', '2026-06-02T17:00:00Z')?.key).toBe('booking.too_long');
		expect(ok('2026-05-30T08:00:00Z', '2026-05-30T09:00:00Z')?.key).toBe('booking.in_past');
		expect(ok('2026-07-15T08:00:00Z', '2026-07-15T09:00:00Z')?.key).toBe('booking.too_far');
		// staff may book further ahead
		expect(ok('2026-07-15T08:00:00Z', '2026-07-15T09:00:00Z', cal(), laser, { staff: true })).toBeNull();
	});
	it('closed outside opening hours, across the lunch break, on a closed date', () => {
		expect(ok('2026-06-02T05:00:00Z', '2026-06-02T06:00:00Z')).toEqual({ code: 'closed' }); // 07:00 Paris
		expect(ok('2026-06-02T09:30:00Z', '2026-06-02T12:30:00Z')).toEqual({ code: 'closed' }); // 11:30–14:30
		const c = cal({ exceptions: [{ resourceId: null, date: '2026-06-02', closed: true, opensMin: null, closesMin: null }] });
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:00:00Z', c)).toEqual({ code: 'closed' });
		// a staff block ignores opening hours
		expect(ok('2026-06-02T05:00:00Z', '2026-06-02T06:00:00Z', cal(), laser, { staff: true, block: true })).toBeNull();
	});
	it('open-access-only resources are bookable only inside a session of the resource, its room or the place', () => {
		const r = { ...laser, openAccessOnly: true };
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:00:00Z', cal(), r)).toEqual({ code: 'closed' });
		const sessions = [{ resourceId: 'room', startsAt: at('2026-06-02T07:30:00Z'), endsAt: at('2026-06-02T09:00:00Z') }];
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:00:00Z', cal({ sessions }), r)).toBeNull();
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:30:00Z', cal({ sessions }), r)).toEqual({ code: 'closed' });
		const other = [{ resourceId: 'cnc', startsAt: at('2026-06-02T07:30:00Z'), endsAt: at('2026-06-02T09:00:00Z') }];
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:00:00Z', cal({ sessions: other }), r)).toEqual({ code: 'closed' });
	});
	it('out_of_service during an outage of the machine or its room; slot_taken on overlap; adjacent is fine', () => {
		const outages = [{ resourceId: 'room', startsAt: at('2026-06-02T08:30:00Z'), endsAt: at('2026-06-02T09:00:00Z') }];
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:00:00Z', cal({ outages }))).toEqual({ code: 'out_of_service' });
		const busy = [{ start: at('2026-06-02T09:00:00Z'), end: at('2026-06-02T10:00:00Z') }];
		expect(ok('2026-06-02T08:00:00Z', '2026-06-02T09:00:00Z', cal({ busy }))).toBeNull();
		expect(ok('2026-06-02T08:30:00Z', '2026-06-02T09:30:00Z', cal({ busy }))).toEqual({ code: 'slot_taken' });
	});
});

describe('daylight saving days in Europe/Paris', () => {
	const nightOwl = [{ resourceId: null, weekday: 7, opensMin: 0, closesMin: 1440 }];
	const owl = { ...laser, maxMinutes: 600, maxAdvanceDays: 400 };
	const now = at('2026-03-01T00:00:00Z');
	it('spring (29 March 2026): 01:00–04:00 on the wall clock lasts 2 hours and is a valid booking', () => {
		const start = localMinuteToUtc('2026-03-29', 60, TZ);
		const end = localMinuteToUtc('2026-03-29', 240, TZ);
		expect(start.toISOString()).toBe('2026-03-29T00:00:00.000Z');
		expect(end.toISOString()).toBe('2026-03-29T02:00:00.000Z');
		expect(durationMinutes({ start, end })).toBe(120);
		expect(checkSlot({ start, end }, cal({ rules: nightOwl }), owl, { now })).toBeNull();
		// the day has 23 hours of opening
		const open = openIntervals({ start: localMinuteToUtc('2026-03-29', 0, TZ), end: localMinuteToUtc('2026-03-30', 0, TZ) }, { timezone: TZ, rules: nightOwl, exceptions: [] }, owl);
		expect(open.reduce((s, i) => s + durationMinutes(i), 0)).toBe(23 * 60);
	});
	it('autumn (25 October 2026): 01:00–04:00 lasts 4 hours; the day has 25 hours', () => {
		const start = localMinuteToUtc('2026-10-25', 60, TZ);
		const end = localMinuteToUtc('2026-10-25', 240, TZ);
		expect(durationMinutes({ start, end })).toBe(240);
		expect(checkSlot({ start, end }, cal({ rules: nightOwl }), owl, { now })).toBeNull();
		const open = openIntervals({ start: localMinuteToUtc('2026-10-25', 0, TZ), end: localMinuteToUtc('2026-10-26', 0, TZ) }, { timezone: TZ, rules: nightOwl, exceptions: [] }, owl);
		expect(open.reduce((s, i) => s + durationMinutes(i), 0)).toBe(25 * 60);
	});
	it('opening hours keep their wall-clock time on both sides of the change', () => {
		const sat = localMinuteToUtc('2026-03-28', 540, TZ);
		const mon = localMinuteToUtc('2026-03-30', 540, TZ);
		expect([sat.toISOString(), mon.toISOString()]).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
		expect(checkSlot({ start: mon, end: new Date(mon.getTime() + 3_600_000) }, cal(), owl, { now })).toBeNull();
	});
	it('the week grid leaves out the hour that does not exist in spring', () => {
		const g = weekGrid('2026-03-23', cal({ rules: nightOwl }), owl, now);
		const sunday = g.days[6];
		expect(sunday.date).toBe('2026-03-29');
		const missing = g.rows.filter((m, i) => sunday.cells[i] === null);
		expect(missing).toEqual([120, 150]);
		expect(sunday.cells.filter(Boolean).length).toBe(46);
	});
});

describe('week grid and free intervals', () => {
	it('marks cells free, booked, closed, maintenance and past', () => {
		const busy = [{ start: at('2026-06-02T08:00:00Z'), end: at('2026-06-02T09:00:00Z') }];
		const outages = [{ resourceId: 'laser', startsAt: at('2026-06-03T07:00:00Z'), endsAt: at('2026-06-03T10:00:00Z') }];
		const g = weekGrid(mondayOf('2026-06-04'), cal({ busy, outages }), laser, at('2026-06-01T10:00:00Z'));
		expect(g.monday).toBe('2026-06-01');
		expect(g.rows[0]).toBe(540);
		expect(g.rows.at(-1)).toBe(1110);
		const cell = (day: number, minute: number) => g.days[day].cells[g.rows.indexOf(minute)]!.state;
		expect(cell(1, 600)).toBe('booked'); // Tue 10:00
		expect(cell(1, 630)).toBe('booked');
		expect(cell(1, 660)).toBe('free');
		expect(cell(1, 750)).toBe('closed'); // lunch
		expect(cell(2, 540)).toBe('maintenance');
		expect(cell(0, 540)).toBe('past');
		expect(cell(0, 900)).toBe('free');
	});
	it('free intervals are opening hours minus bookings and outages', () => {
		const day = { start: at('2026-06-02T00:00:00Z'), end: at('2026-06-03T00:00:00Z') };
		const busy = [{ start: at('2026-06-02T08:00:00Z'), end: at('2026-06-02T09:00:00Z') }];
		expect(freeIntervals(day, cal({ busy }), laser).map((i) => [i.start.toISOString().slice(11, 16), i.end.toISOString().slice(11, 16)])).toEqual([
			['07:00', '08:00'],
			['09:00', '10:00'],
			['12:00', '17:00']
		]);
	});
	it('interval algebra', () => {
		const iv = (a: number, b: number) => ({ start: new Date(a), end: new Date(b) });
		expect(mergeIntervals([iv(5, 7), iv(1, 3), iv(3, 4)])).toEqual([iv(1, 4), iv(5, 7)]);
		expect(subtractIntervals([iv(0, 10)], [iv(2, 3), iv(5, 12)])).toEqual([iv(0, 2), iv(3, 5)]);
	});
});

describe('payment split and inputs', () => {
	it('uses hour-pack minutes first, the rest at the hourly price', () => {
		expect(splitPayment(1200, 90, 0)).toEqual({ walletMinutes: 0, dueCents: 1800, priceCents: 1800 });
		expect(splitPayment(1200, 90, 60)).toEqual({ walletMinutes: 60, dueCents: 600, priceCents: 1800 });
		expect(splitPayment(1200, 90, 600)).toEqual({ walletMinutes: 90, dueCents: 0, priceCents: 1800 });
		expect(splitPayment(0, 90, 600)).toEqual({ walletMinutes: 0, dueCents: 0, priceCents: 0 });
		expect(splitPayment(1000, 50, 0).dueCents).toBe(833);
	});
	it('bookingInput refuses bad dates and an end before the start', () => {
		const good = { resourceId: 'r', startsAt: '2026-06-02T08:00:00Z', endsAt: '2026-06-02T09:00:00+00:00' };
		expect(bookingInput.safeParse(good).success).toBe(true);
		expect(bookingInput.safeParse({ ...good, startsAt: 'demain' }).success).toBe(false);
		expect(bookingInput.safeParse({ ...good, startsAt: '2026-06-02T08:00:00' }).success).toBe(false);
		expect(bookingInput.safeParse({ ...good, endsAt: '2026-06-02T07:00:00Z' }).error?.issues[0].message).toBe('field.end_after_start');
		expect(bookingInput.safeParse({ ...good, extra: 1 }).success).toBe(false);
	});
	it('slotFromForm reads a local date, time and duration', () => {
		expect(slotFromForm('2026-06-02', '10:00', '90', TZ)).toEqual({ start: at('2026-06-02T08:00:00Z'), end: at('2026-06-02T09:30:00Z') });
		for (const [d, t, m] of [
			['2026-02-30', '10:00', '60'],
			['2026-06-02', '25:00', '60'],
			['2026-06-02', '10:00', 'x'],
			['2026-06-02', '10:00', '0']
		])
			expect(slotFromForm(d, t, m, TZ)).toBeUndefined();
	});
});
