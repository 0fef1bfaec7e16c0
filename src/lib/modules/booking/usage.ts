// Usage of a machine: hours per month and occupancy per weekday and hour, from its bookings. Pure (no clock,
// no I/O): the bookings, the window and the place's time zone are passed in. Local hours come from the zone,
// so a DST Sunday has 23 or 25 hours and none is counted twice.
import { wallClock } from '../places/time';

export interface UsageBooking {
	startsAt: Date;
	endsAt: Date;
	checkedInAt: Date | null;
	checkedOutAt: Date | null;
}

/** The time actually used: check-in to check-out when both are known, else the booked time. */
export function usedInterval(b: UsageBooking): { start: Date; end: Date } {
	if (b.checkedInAt && b.checkedOutAt && b.checkedOutAt > b.checkedInAt) return { start: b.checkedInAt, end: b.checkedOutAt };
	return { start: b.startsAt, end: b.endsAt };
}

/**
 * Splits an interval at every local hour boundary of the zone: [instant, minutes, local date, hour, ISO weekday].
 * Works for zones with half- and quarter-hour offsets (the boundary is found from the local minute).
 */
export function* localHourPieces(start: Date, end: Date, timeZone: string): Generator<{ date: string; hour: number; weekday: number; minutes: number }> {
	let t = start.getTime();
	const stop = end.getTime();
	let guard = 0;
	while (t < stop && guard++ < 100_000) {
		const wc = wallClock(new Date(t), timeZone);
		const [h, m] = wc.time.split(':').map(Number);
		// seconds of the local clock equal the UTC seconds for every zone in use (offsets are whole minutes).
		const sec = Math.floor(t / 1000) % 60;
		const ms = t % 1000;
		const next = Math.min(stop, t + ((60 - m) * 60 - sec) * 1000 - ms);
		yield { date: wc.date, hour: h, weekday: wc.weekday === 0 ? 7 : wc.weekday, minutes: (next - t) / 60_000 };
		t = next;
	}
}

/** Used hours per local month ("2026-03" → hours, one decimal), oldest first; a booking across months is split. */
export function usageByMonth(bookings: readonly UsageBooking[], timeZone: string): Array<{ month: string; hours: number; bookings: number }> {
	const minutes = new Map<string, number>();
	const count = new Map<string, number>();
	for (const b of bookings) {
		const { start, end } = usedInterval(b);
		const startMonth = wallClock(start, timeZone).date.slice(0, 7);
		count.set(startMonth, (count.get(startMonth) ?? 0) + 1);
		for (const p of localHourPieces(start, end, timeZone)) {
			const month = p.date.slice(0, 7);
			minutes.set(month, (minutes.get(month) ?? 0) + p.minutes);
		}
	}
	return [...minutes.keys()].sort().map((month) => ({ month, hours: Math.round((minutes.get(month)! / 60) * 10) / 10, bookings: count.get(month) ?? 0 }));
}

export interface Heatmap {
	/** Hours shown (rows or columns): the first and last local hour with any occupancy, widened to opening hours. */
	hours: number[];
	/** cells[weekday 1…7][hour 0…23] = share of that hour booked over the window (0…1). */
	cells: Record<number, number[]>;
	weeks: number;
	max: number;
}

/**
 * Occupancy per ISO weekday and local hour over [from, to): the minutes used in each (weekday, hour) divided by
 * the minutes that (weekday, hour) existed in the window. An hour skipped by a DST change does not exist that
 * day; a repeated hour exists twice.
 */
export function occupancyHeatmap(bookings: readonly UsageBooking[], from: Date, to: Date, timeZone: string, showHours: readonly number[] = []): Heatmap {
	const used: Record<number, number[]> = {};
	const existed: Record<number, number[]> = {};
	for (let d = 1; d <= 7; d++) {
		used[d] = Array(24).fill(0);
		existed[d] = Array(24).fill(0);
	}
	for (const p of localHourPieces(from, to, timeZone)) existed[p.weekday][p.hour] += p.minutes;
	for (const b of bookings) {
		const i = usedInterval(b);
		const start = i.start < from ? from : i.start;
		const end = i.end > to ? to : i.end;
		if (end <= start) continue;
		for (const p of localHourPieces(start, end, timeZone)) used[p.weekday][p.hour] += p.minutes;
	}
	const cells: Record<number, number[]> = {};
	let max = 0;
	const busyHours = new Set<number>(showHours);
	for (let d = 1; d <= 7; d++) {
		cells[d] = used[d].map((u, h) => (existed[d][h] > 0 ? Math.min(1, u / existed[d][h]) : 0));
		cells[d].forEach((v, h) => {
			if (v > 0) busyHours.add(h);
			if (v > max) max = v;
		});
	}
	const list = [...busyHours].sort((a, b) => a - b);
	const hours = list.length ? Array.from({ length: list.at(-1)! - list[0] + 1 }, (_, i) => list[0] + i) : [];
	const weeks = Math.round((to.getTime() - from.getTime()) / (7 * 86_400_000));
	return { hours, cells, weeks, max };
}

