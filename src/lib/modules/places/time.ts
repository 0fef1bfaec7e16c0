// Wall-clock time in a place's time zone <-> UTC instants, with Intl only (no date library).
// why: events and slots are decided in local time ("Saturday 14:00 in Paris") but stored as timestamptz;
// the offset of a zone changes twice a year, so it must be looked up for the very instant concerned.

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		formatters.set(timeZone, f);
	}
	return f;
}


export interface WallClock {
	/** YYYY-MM-DD */
	date: string;
	/** HH:MM (24 h) */
	time: string;
	/** 0 = Sunday … 6 = Saturday */
	weekday: number;
}

function parts(instant: Date, timeZone: string) {
	const p: Record<string, string> = {};
	for (const { type, value } of formatter(timeZone).formatToParts(instant)) p[type] = value;
	return p;
}

/** The offset at one instant, from Intl (slow: formatToParts). */
function offsetAt(ms: number, timeZone: string): number {
	const p = parts(new Date(ms), timeZone);
	const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
	return asUtc - Math.floor(ms / 1000) * 1000;
}

const HOUR = 3_600_000;
/** Offsets of whole UTC hours in which a zone does not change its offset: "zone hour" -> offset ms. */
const steadyHours = new Map<string, number>();

/**
 * Offset of the zone at that instant, in milliseconds (Paris: +1 h in winter, +2 h in summer).
 * why: Intl's formatToParts costs microseconds and a booking asks for dozens of offsets, nearly all in the same few
 * hours. An hour whose start and end have the same offset has that offset throughout (no zone changes twice within
 * an hour), so it is remembered; an hour holding a change is computed at the instant itself each time.
 */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
	const ms = instant.getTime();
	const hour = Math.floor(ms / HOUR);
	const key = `${timeZone} ${hour}`;
	const known = steadyHours.get(key);
	if (known !== undefined) return known;
	const start = offsetAt(hour * HOUR, timeZone);
	if (offsetAt((hour + 1) * HOUR - 1000, timeZone) !== start) return offsetAt(ms, timeZone);
	if (steadyHours.size >= 50_000) steadyHours.clear();
	steadyHours.set(key, start);
	return start;
}

/** The wall-clock date, time and weekday of an instant in a time zone. */
export function wallClock(instant: Date, timeZone: string): WallClock {
	const local = new Date(Math.floor(instant.getTime() / 1000) * 1000 + zoneOffsetMs(instant, timeZone));
	const pad = (n: number) => String(n).padStart(2, '0');
	return {
		date: `${String(local.getUTCFullYear()).padStart(4, '0')}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
		time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
		weekday: local.getUTCDay()
	};
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The UTC instant of a wall-clock date and time in a time zone ("2026-03-29", "14:00", "Europe/Paris"
 * -> 12:00Z). A time skipped by a spring-forward change (02:30 on that Sunday) is moved forward by the
 * gap (03:30); a time that happens twice in autumn resolves to its second occurrence (winter time).
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
	const d = DATE_RE.exec(date);
	const t = TIME_RE.exec(time);
	if (!d || !t) throw new RangeError(`bad wall-clock ${date} ${time}`);
	const guess = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]);
	const first = zoneOffsetMs(new Date(guess), timeZone);
	let utc = guess - first;
	const second = zoneOffsetMs(new Date(utc), timeZone);
	// why: when the guess and the answer sit on both sides of a change, the offset of the answer is the right one.
	if (second !== first) utc = guess - second;
	return new Date(utc);
}

/** Adds whole days to a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
	const d = DATE_RE.exec(date);
	if (!d) throw new RangeError(`bad date ${date}`);
	return new Date(Date.UTC(+d[1], +d[2] - 1, +d[3] + days)).toISOString().slice(0, 10);
}

/**
 * The date of the next given weekday (0 = Sunday … 6 = Saturday) strictly after the local date of `now`
 * in the zone, plus `weeksLater` weeks: 1 to 7 days ahead, then whole weeks.
 */
export function nextWeekday(now: Date, timeZone: string, weekday: number, weeksLater = 0): string {
	const today = wallClock(now, timeZone);
	const ahead = ((weekday - today.weekday + 7) % 7) || 7;
	return addDays(today.date, ahead + 7 * weeksLater);
}
