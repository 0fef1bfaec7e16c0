// Opening hours helpers: typed times, ranges, the week of a place with exceptions, local times to instants
// across the Paris DST changes (tests run in Asia/Kathmandu: nothing may depend on the machine's zone).
import { describe, expect, it } from 'vitest';
import { formatRanges, formatTimeOfDay, hoursOn, isIsoDate, isoWeekday, localMinutesToUtc, mondayOf, openingHoursByDay, parseRanges, parseTimeOfDay, weekHours, weeklyPattern, type ExceptionLike, type RuleLike } from './hours';

describe('parseTimeOfDay', () => {
	it('reads the ways people type a time', () => {
		expect(parseTimeOfDay('9h30')).toBe(570);
		expect(parseTimeOfDay('9 h 30')).toBe(570);
		expect(parseTimeOfDay('09:30')).toBe(570);
		expect(parseTimeOfDay('9:30')).toBe(570);
		expect(parseTimeOfDay('9h')).toBe(540);
		expect(parseTimeOfDay('9')).toBe(540);
		expect(parseTimeOfDay('14.15')).toBe(855);
		expect(parseTimeOfDay('0h00')).toBe(0);
		expect(parseTimeOfDay('24:00')).toBe(1440);
		expect(parseTimeOfDay(' 19H ')).toBe(1140);
	});
	it('refuses what is not a time', () => {
		for (const s of ['', 'midi', '25:00', '24:30', '9h60', '9:5', '-1', '9h30m', '1234']) expect(parseTimeOfDay(s), s).toBeNull();
	});
	it('formats minutes back', () => {
		expect(formatTimeOfDay(570)).toBe('09:30');
		expect(formatTimeOfDay(0)).toBe('00:00');
		expect(formatTimeOfDay(1440)).toBe('24:00');
	});
});

describe('parseRanges', () => {
	it('reads several ranges a day, in any order, and an empty day as closed', () => {
		expect(parseRanges('14h-19h, 9h-12h30')).toEqual({ ok: true, ranges: [{ opensMin: 540, closesMin: 750 }, { opensMin: 840, closesMin: 1140 }] });
		expect(parseRanges('09:00–12:30 ; 14:00 – 19:00')).toEqual({ ok: true, ranges: [{ opensMin: 540, closesMin: 750 }, { opensMin: 840, closesMin: 1140 }] });
		expect(parseRanges('9h à 12h et 14h à 18h')).toEqual({ ok: true, ranges: [{ opensMin: 540, closesMin: 720 }, { opensMin: 840, closesMin: 1080 }] });
		expect(parseRanges('  ')).toEqual({ ok: true, ranges: [] });
		expect(parseRanges('18h-24h')).toEqual({ ok: true, ranges: [{ opensMin: 1080, closesMin: 1440 }] });
		// touching ranges are fine
		expect(parseRanges('9h-12h, 12h-13h').ok).toBe(true);
	});
	it('names what is wrong', () => {
		expect(parseRanges('9h-midi')).toEqual({ ok: false, error: 'hours.bad_time' });
		expect(parseRanges('9h')).toEqual({ ok: false, error: 'hours.bad_time' });
		expect(parseRanges('19h-9h')).toEqual({ ok: false, error: 'hours.bad_range' });
		expect(parseRanges('9h-9h')).toEqual({ ok: false, error: 'hours.bad_range' });
		expect(parseRanges('9h-13h, 12h-14h')).toEqual({ ok: false, error: 'hours.overlap' });
		expect(parseRanges('1-2,3-4,5-6,7-8,9-10,11-12,13-14')).toEqual({ ok: false, error: 'hours.too_many' });
	});
	it('round-trips through formatRanges', () => {
		const r = parseRanges('14h-19h, 9h-12h30');
		expect(r.ok && formatRanges(r.ranges)).toBe('09:00-12:30, 14:00-19:00');
		expect(r.ok && parseRanges(formatRanges(r.ranges))).toEqual(r);
	});
});

describe('dates', () => {
	it('knows weekdays and Mondays', () => {
		expect(isoWeekday('2026-03-29')).toBe(7);
		expect(isoWeekday('2026-03-30')).toBe(1);
		expect(mondayOf('2026-03-29')).toBe('2026-03-23');
		expect(mondayOf('2026-03-23')).toBe('2026-03-23');
	});
	it('checks calendar dates', () => {
		expect(isIsoDate('2026-02-28')).toBe(true);
		expect(isIsoDate('2026-02-30')).toBe(false);
		expect(isIsoDate('2026-2-3')).toBe(false);
		expect(isIsoDate('demain')).toBe(false);
	});
});

describe('local minutes to instants in Europe/Paris (DST)', () => {
	const tz = 'Europe/Paris';
	it('gives a 23-hour day in spring and a 25-hour day in autumn', () => {
		const springStart = localMinutesToUtc('2026-03-29', 0, tz);
		const springEnd = localMinutesToUtc('2026-03-29', 1440, tz);
		expect(springStart.toISOString()).toBe('2026-03-28T23:00:00.000Z');
		expect(springEnd.toISOString()).toBe('2026-03-29T22:00:00.000Z');
		expect((springEnd.getTime() - springStart.getTime()) / 3_600_000).toBe(23);
		const autumnStart = localMinutesToUtc('2026-10-25', 0, tz);
		const autumnEnd = localMinutesToUtc('2026-10-25', 1440, tz);
		expect((autumnEnd.getTime() - autumnStart.getTime()) / 3_600_000).toBe(25);
	});
	it('opens at 10:00 local time on both sides of the change', () => {
		expect(localMinutesToUtc('2026-03-28', 600, tz).toISOString()).toBe('2026-03-28T09:00:00.000Z');
		expect(localMinutesToUtc('2026-03-31', 600, tz).toISOString()).toBe('2026-03-31T08:00:00.000Z');
	});
});

describe('hoursOn and weekHours', () => {
	const rules: RuleLike[] = [
		{ weekday: 2, opensMin: 600, closesMin: 1140, resourceId: null },
		{ weekday: 6, opensMin: 540, closesMin: 750, resourceId: null },
		{ weekday: 6, opensMin: 840, closesMin: 1080, resourceId: null },
		{ weekday: 2, opensMin: 840, closesMin: 1080, resourceId: 'laser' }
	];
	const exceptions: ExceptionLike[] = [
		{ date: '2026-04-07', closed: true, opensMin: null, closesMin: null, resourceId: null, reason: 'Lundi de Pâques (pont)' },
		{ date: '2026-04-11', closed: false, opensMin: 600, closesMin: 1380, resourceId: null, reason: 'Nocturne' }
	];
	it('uses the weekly pattern, several ranges a day', () => {
		expect(hoursOn('2026-03-28', rules, exceptions)).toMatchObject({ weekday: 6, exception: false, ranges: [{ opensMin: 540, closesMin: 750 }, { opensMin: 840, closesMin: 1080 }] });
		expect(hoursOn('2026-03-30', rules, exceptions).ranges).toEqual([]);
	});
	it('applies closures and special hours', () => {
		expect(hoursOn('2026-04-07', rules, exceptions)).toMatchObject({ exception: true, ranges: [], reason: 'Lundi de Pâques (pont)' });
		expect(hoursOn('2026-04-11', rules, exceptions)).toMatchObject({ exception: true, ranges: [{ opensMin: 600, closesMin: 1380 }], reason: 'Nocturne' });
	});
	it('lets a resource have its own pattern, else the place’s; place closures apply to it', () => {
		expect(hoursOn('2026-03-31', rules, exceptions, 'laser').ranges).toEqual([{ opensMin: 840, closesMin: 1080 }]);
		expect(hoursOn('2026-03-31', rules, exceptions, 'cnc').ranges).toEqual([{ opensMin: 600, closesMin: 1140 }]);
		expect(hoursOn('2026-04-07', rules, exceptions, 'laser').ranges).toEqual([]);
	});
	it('lists a DST week (Paris, end of March 2026) day by day', () => {
		const week = weekHours('2026-03-23', rules, exceptions);
		expect(week.map((d) => d.date)).toEqual(['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29']);
		expect(week.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(week[1].ranges).toEqual([{ opensMin: 600, closesMin: 1140 }]);
	});
	it('groups the pattern by weekday', () => {
		const p = weeklyPattern(rules);
		expect(p[6]).toHaveLength(2);
		expect(p[2]).toEqual([{ opensMin: 600, closesMin: 1140 }]);
		expect(weeklyPattern(rules, 'laser')[2]).toEqual([{ opensMin: 840, closesMin: 1080 }]);
	});
	it('gives the place’s week by day key for the home page and the API (closed days and resource rules left out)', () => {
		expect(openingHoursByDay(rules)).toEqual({ tue: [{ from: '10:00', to: '19:00' }], sat: [{ from: '09:00', to: '12:30' }, { from: '14:00', to: '18:00' }] });
		expect(openingHoursByDay([{ weekday: 7, opensMin: 1200, closesMin: 1440, resourceId: null }])).toEqual({ sun: [{ from: '20:00', to: '24:00' }] });
		expect(openingHoursByDay([])).toEqual({});
	});
});
