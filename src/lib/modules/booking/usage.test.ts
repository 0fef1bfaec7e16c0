// Usage and occupancy in the place's time zone, including a DST week in Europe/Paris.
import { describe, expect, it } from 'vitest';
import { localHourPieces, occupancyHeatmap, usageByMonth, usedInterval } from './usage';
import { localMinutesToUtc } from './hours';

const tz = 'Europe/Paris';
const at = (date: string, hhmm: string) => {
	const [h, m] = hhmm.split(':').map(Number);
	return localMinutesToUtc(date, h * 60 + m, tz);
};
const b = (date: string, from: string, to: string, inOut?: [string, string]) => ({
	startsAt: at(date, from),
	endsAt: at(date, to),
	checkedInAt: inOut ? at(date, inOut[0]) : null,
	checkedOutAt: inOut ? at(date, inOut[1]) : null
});

describe('usedInterval', () => {
	it('prefers check-in to check-out, else the booked time', () => {
		const x = b('2026-03-10', '10:00', '12:00', ['10:15', '11:30']);
		expect(usedInterval(x)).toEqual({ start: at('2026-03-10', '10:15'), end: at('2026-03-10', '11:30') });
		expect(usedInterval({ ...x, checkedOutAt: null })).toEqual({ start: x.startsAt, end: x.endsAt });
	});
});

describe('localHourPieces', () => {
	it('cuts at local hour boundaries, even in a zone with a 45-minute offset', () => {
		const pieces = [...localHourPieces(new Date('2026-03-10T04:00:00Z'), new Date('2026-03-10T05:30:00Z'), 'Asia/Kathmandu')];
		// 04:00Z = 09:45 local
		expect(pieces.map((p) => [p.hour, p.minutes])).toEqual([
			[9, 15],
			[10, 60],
			[11, 15]
		]);
	});
	it('sees 23 local hours on the spring-forward Sunday (no 02:00 hour)', () => {
		const pieces = [...localHourPieces(at('2026-03-29', '00:00'), localMinutesToUtc('2026-03-29', 1440, tz), tz)];
		expect(pieces).toHaveLength(23);
		expect(pieces.map((p) => p.hour)).not.toContain(2);
		expect(pieces.every((p) => p.weekday === 7 && p.minutes === 60)).toBe(true);
	});
	it('sees the 02:00 hour twice on the autumn Sunday', () => {
		const pieces = [...localHourPieces(localMinutesToUtc('2026-10-25', 0, tz), localMinutesToUtc('2026-10-25', 1440, tz), tz)];
		expect(pieces).toHaveLength(25);
		expect(pieces.filter((p) => p.hour === 2)).toHaveLength(2);
	});
});

describe('usageByMonth', () => {
	it('adds used hours per local month, split at midnight of the month’s end', () => {
		const rows = [
			b('2026-03-10', '10:00', '12:00'),
			b('2026-03-12', '14:00', '18:00', ['14:30', '16:00']),
			// 23:00 on 31 March to 01:00 on 1 April (local): one hour each side
			{ startsAt: at('2026-03-31', '23:00'), endsAt: at('2026-04-01', '01:00'), checkedInAt: null, checkedOutAt: null }
		];
		expect(usageByMonth(rows, tz)).toEqual([
			{ month: '2026-03', hours: 4.5, bookings: 3 },
			{ month: '2026-04', hours: 1, bookings: 0 }
		]);
	});
});

describe('occupancyHeatmap', () => {
	it('measures the share of each weekday-hour booked over the window, in Paris time across the DST change', () => {
		// Two weeks, Monday 23 March to Monday 6 April 2026 (clocks go forward on Sunday 29 March).
		const from = at('2026-03-23', '00:00');
		const to = at('2026-04-06', '00:00');
		const rows = [
			b('2026-03-24', '10:00', '12:00'), // Tuesday before the change: 10-12 local
			b('2026-03-31', '10:00', '11:00'), // Tuesday after: 10-11 local (same local hour, other UTC offset)
			b('2026-03-29', '14:00', '15:30') // the DST Sunday itself
		];
		const h = occupancyHeatmap(rows, from, to, tz);
		expect(h.weeks).toBe(2);
		expect(h.cells[2][10]).toBe(1); // both Tuesdays at 10:00
		expect(h.cells[2][11]).toBe(0.5); // one Tuesday of two at 11:00
		expect(h.cells[2][9]).toBe(0);
		expect(h.cells[7][14]).toBe(0.5);
		expect(h.cells[7][15]).toBe(0.25);
		expect(h.max).toBe(1);
		expect(h.hours).toEqual([10, 11, 12, 13, 14, 15]);
	});
	it('clips bookings to the window and counts nothing outside it', () => {
		const from = at('2026-03-23', '00:00');
		const to = at('2026-03-30', '00:00');
		const h = occupancyHeatmap([b('2026-03-30', '10:00', '12:00'), b('2026-03-22', '10:00', '12:00')], from, to, tz, [9, 18]);
		expect(Object.values(h.cells).flat().every((v) => v === 0)).toBe(true);
		expect(h.hours).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
	});
});
