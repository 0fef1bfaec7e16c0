// Opening hours as data: pure helpers (no clock, no I/O). Times of day are minutes from local midnight in the
// place's time zone (0…1440); a day may have several ranges (9:00–12:30 and 14:00–19:00).
import { addDays, wallClock, zonedTimeToUtc } from '../places/time';
import type { OpeningHours } from '../places/schema';

export interface MinuteRange {
	opensMin: number;
	closesMin: number;
}

export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * Parses a time of day as people type it: "9h30", "9 h 30", "09:30", "9:30", "9h", "9", "14.15", "24:00"
 * (end of day). Returns minutes from midnight, or null when it is not a time.
 */
export function parseTimeOfDay(raw: string): number | null {
	const s = raw.trim().toLowerCase().replace(/\s+/g, '');
	const m = /^(\d{1,2})(?:(?:h|:|\.)(\d{2})?)?$/.exec(s);
	if (!m) return null;
	const h = Number(m[1]);
	const min = m[2] === undefined ? 0 : Number(m[2]);
	if (min > 59) return null;
	if (h === 24 && min === 0) return 1440;
	if (h > 23) return null;
	return h * 60 + min;
}

/** Minutes from midnight as "09:30" (1440 is "24:00"). */
export function formatTimeOfDay(minutes: number): string {
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A range as people read it: "09:00–12:30". */
export function formatRange(r: MinuteRange): string {
	return `${formatTimeOfDay(r.opensMin)}–${formatTimeOfDay(r.closesMin)}`;
}

/** Ranges as one editable line: "09:00-12:30, 14:00-19:00". */
export function formatRanges(ranges: readonly MinuteRange[]): string {
	return sortRanges(ranges)
		.map((r) => `${formatTimeOfDay(r.opensMin)}-${formatTimeOfDay(r.closesMin)}`)
		.join(', ');
}

export function sortRanges<T extends MinuteRange>(ranges: readonly T[]): T[] {
	return [...ranges].sort((a, b) => a.opensMin - b.opensMin || a.closesMin - b.closesMin);
}

export type RangesError = 'hours.bad_time' | 'hours.bad_range' | 'hours.overlap' | 'hours.too_many';

/**
 * Parses a day's ranges typed on one line ("9h-12h30, 14h-19h", "09:00–12:30 ; 14:00–19:00"); an empty line
 * is a closed day. Ranges must not overlap (touching is fine) and end after they start (same day).
 */
export function parseRanges(raw: string): { ok: true; ranges: MinuteRange[] } | { ok: false; error: RangesError } {
	const text = raw.trim();
	if (!text) return { ok: true, ranges: [] };
	const parts = text
		.split(/[,;/]|\s+et\s+|\s+and\s+/i)
		.map((p) => p.trim())
		.filter(Boolean);
	if (parts.length > 6) return { ok: false, error: 'hours.too_many' };
	const ranges: MinuteRange[] = [];
	for (const p of parts) {
		const ends = p.split(/\s*(?:-|–|—|à|to)\s*/i);
		if (ends.length !== 2) return { ok: false, error: 'hours.bad_time' };
		const opensMin = parseTimeOfDay(ends[0]);
		const closesMin = parseTimeOfDay(ends[1]);
		if (opensMin === null || closesMin === null) return { ok: false, error: 'hours.bad_time' };
		if (closesMin <= opensMin || opensMin >= 1440) return { ok: false, error: 'hours.bad_range' };
		ranges.push({ opensMin, closesMin });
	}
	const sorted = sortRanges(ranges);
	for (let i = 1; i < sorted.length; i++) if (sorted[i].opensMin < sorted[i - 1].closesMin) return { ok: false, error: 'hours.overlap' };
	return { ok: true, ranges: sorted };
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date (calendar arithmetic). */
export function isoWeekday(date: string): number {
	const d = new Date(`${date}T00:00:00Z`).getUTCDay();
	return d === 0 ? 7 : d;
}

/** The Monday of the week of a date. */
export function mondayOf(date: string): string {
	return addDays(date, 1 - isoWeekday(date));
}

/** The UTC instant of a local time of day (minutes, 1440 = next midnight) on a local date. DST days are 23 or 25 h. */
export function localMinutesToUtc(date: string, minutes: number, timeZone: string): Date {
	if (minutes >= 1440) return zonedTimeToUtc(addDays(date, Math.floor(minutes / 1440)), formatTimeOfDay(minutes % 1440), timeZone);
	return zonedTimeToUtc(date, formatTimeOfDay(minutes), timeZone);
}

/** The instants of a local range on a date. */
export function rangeInstants(date: string, r: MinuteRange, timeZone: string): { start: Date; end: Date } {
	return { start: localMinutesToUtc(date, r.opensMin, timeZone), end: localMinutesToUtc(date, r.closesMin, timeZone) };
}

export interface RuleLike extends MinuteRange {
	weekday: number;
	resourceId: string | null;
}
export interface ExceptionLike {
	date: string;
	closed: boolean;
	opensMin: number | null;
	closesMin: number | null;
	resourceId: string | null;
	reason: string;
}

export interface DayHours {
	date: string;
	weekday: number;
	ranges: MinuteRange[];
	/** The date departs from the weekly pattern (closure or special hours). */
	exception: boolean;
	reason: string;
}

/**
 * The opening hours of one local date for the place (resourceId null) or a resource: the date's exceptions
 * when there are any (the resource's own first, else the place's), else the weekly pattern (the resource's own
 * rules replace the place's when it has any).
 */
export function hoursOn(date: string, rules: readonly RuleLike[], exceptions: readonly ExceptionLike[], resourceId: string | null = null): DayHours {
	const weekday = isoWeekday(date);
	const pick = <T extends { resourceId: string | null }>(rows: T[]): T[] => {
		if (resourceId) {
			const own = rows.filter((r) => r.resourceId === resourceId);
			if (own.length) return own;
		}
		return rows.filter((r) => r.resourceId === null);
	};
	const ex = pick(exceptions.filter((e) => e.date === date));
	if (ex.length) {
		const closed = ex.some((e) => e.closed);
		const ranges = closed ? [] : sortRanges(ex.map((e) => ({ opensMin: e.opensMin ?? 0, closesMin: e.closesMin ?? 0 })));
		return { date, weekday, ranges, exception: true, reason: ex.map((e) => e.reason).filter(Boolean).join(' · ') };
	}
	const resourceRules = resourceId ? rules.filter((r) => r.resourceId === resourceId) : [];
	const weekly = (resourceRules.length ? resourceRules : rules.filter((r) => r.resourceId === null)).filter((r) => r.weekday === weekday);
	return { date, weekday, ranges: sortRanges(weekly.map((r) => ({ opensMin: r.opensMin, closesMin: r.closesMin }))), exception: false, reason: '' };
}

/** Seven days of opening hours from a local date. */
export function weekHours(from: string, rules: readonly RuleLike[], exceptions: readonly ExceptionLike[], resourceId: string | null = null): DayHours[] {
	return Array.from({ length: 7 }, (_, i) => hoursOn(addDays(from, i), rules, exceptions, resourceId));
}

/** The weekly pattern grouped by ISO weekday (1…7), each day's ranges sorted. */
export function weeklyPattern(rules: readonly RuleLike[], resourceId: string | null = null): Record<number, MinuteRange[]> {
	const out: Record<number, MinuteRange[]> = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
	for (const r of rules) if (r.resourceId === resourceId) out[r.weekday]?.push({ opensMin: r.opensMin, closesMin: r.closesMin });
	for (const d of ISO_WEEKDAYS) out[d] = sortRanges(out[d]);
	return out;
}

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * The place's weekly pattern (its rules without a resource) by day key, mon…sun → "HH:MM" ranges in the place's
 * time, closed days left out: what the home page shows and the API returns as a place's `openingHours`.
 */
export function openingHoursByDay(rules: readonly RuleLike[]): Partial<OpeningHours> {
	const pattern = weeklyPattern(rules, null);
	const out: Partial<OpeningHours> = {};
	for (const d of ISO_WEEKDAYS) if (pattern[d].length) out[DAY_KEYS[d - 1]] = pattern[d].map((r) => ({ from: formatTimeOfDay(r.opensMin), to: formatTimeOfDay(r.closesMin) }));
	return out;
}

/** The local date of an instant in a zone (YYYY-MM-DD). */
export function localDate(instant: Date, timeZone: string): string {
	return wallClock(instant, timeZone).date;
}

/** Whether a string is a real YYYY-MM-DD calendar date. */
export function isIsoDate(s: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
