// Pure rules of the trainings module: input schemas (messages are i18n keys), qualification expiry and status.
// No clock and no database here: `now` and the place's time zone are passed in.
import { z } from 'zod';
import { wallClock, zonedTimeToUtc } from '../places/time';

const id = z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid');
const cents = z.number('field.invalid').int('field.invalid').min(0, 'field.invalid').max(10_000_000, 'field.invalid');

/** A training type: what it teaches, how long, its price per person and the resources it qualifies for. */
export const trainingTypeInput = z.strictObject({
	name: z.string('field.required').trim().min(1, 'field.required').max(120, 'field.too_long'),
	description: z.string('field.invalid').trim().max(2000, 'field.too_long').default(''),
	durationMinutes: z.number('field.invalid').int('field.invalid').min(15, 'field.invalid').max(1440, 'field.invalid'),
	priceCents: cents.default(0),
	active: z.boolean('field.invalid').default(true),
	resourceIds: z.array(id, 'field.invalid').max(50, 'field.invalid').default([])
});
export type TrainingTypeInput = z.input<typeof trainingTypeInput>;

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether YYYY-MM-DD names a real day (not 30 February). */
export function isCalendarDate(date: string): boolean {
	const [y, m, d] = date.split('-').map(Number);
	const t = new Date(Date.UTC(y, m - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A session: local date and time in the place's zone, trainer (a member of the place), capacity, note. */
export const sessionInput = z.strictObject({
	trainingTypeId: id,
	date: z.string('field.required').trim().regex(DATE_RE, 'field.trainings_date').refine(isCalendarDate, 'field.trainings_date'),
	time: z.string('field.required').trim().regex(TIME_RE, 'field.trainings_time'),
	trainerId: z.string('field.invalid').trim().max(64, 'field.invalid').optional().transform((v) => (v ? v : null)),
	capacity: z.number('field.invalid').int('field.invalid').min(1, 'field.invalid').max(500, 'field.invalid'),
	note: z.string('field.invalid').trim().max(500, 'field.too_long').default('')
});
export type SessionInput = z.input<typeof sessionInput>;

export const ATTENDANCE_MARKS = ['registered', 'attended', 'absent'] as const;
export type AttendanceMark = (typeof ATTENDANCE_MARKS)[number];

/** The trainer's attendance sheet: registration id -> mark. */
export const attendanceInput = z.strictObject({
	marks: z.record(id, z.enum(ATTENDANCE_MARKS, 'field.invalid'), 'field.invalid').refine((m) => Object.keys(m).length <= 500, 'field.invalid')
});
export type AttendanceInput = z.input<typeof attendanceInput>;

/** A direct grant (no session): exactly one of email / userId, the resource, an optional expiry. */
export const grantInput = z
	.strictObject({
		email: z.string('field.email').trim().toLowerCase().max(254, 'field.email').pipe(z.email('field.email')).optional(),
		userId: z.string('field.invalid').describe('A member of the place (or give email).').trim().min(1, 'field.invalid').max(64, 'field.invalid').optional(),
		resourceId: id,
		expiresAt: z.iso.datetime({ offset: true, message: 'field.trainings_date' }).optional().describe('ISO 8601 date-time with offset; default: the resource’s validity from now (or never).')
	})
	.superRefine((v, ctx) => {
		if ((v.email === undefined) === (v.userId === undefined)) ctx.addIssue({ code: 'custom', path: ['email'], message: 'field.trainings_email_or_user' });
	});
export type GrantInput = z.input<typeof grantInput>;

export const revokeInput = z.strictObject({
	reason: z.string('field.required').trim().min(3, 'field.too_short').max(500, 'field.too_long')
});

/** A calendar date plus whole months, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsToDate(date: string, months: number): string {
	const [y, m, d] = date.split('-').map(Number);
	const total = y * 12 + (m - 1) + months;
	const ny = Math.floor(total / 12);
	const nm = total - ny * 12;
	const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
	return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * When a qualification earned at `from` expires: `months` later at the same wall-clock time in the place's zone
 * (so a DST change in between does not move it by an hour); null months = never.
 */
export function qualificationExpiry(from: Date, months: number | null, timeZone: string): Date | null {
	if (months === null) return null;
	const wc = wallClock(from, timeZone);
	return zonedTimeToUtc(addMonthsToDate(wc.date, months), wc.time, timeZone);
}

/** A renewal never shortens: the later of two expiries, null (never) winning. */
export function laterExpiry(a: Date | null, b: Date | null): Date | null {
	if (a === null || b === null) return null;
	return a.getTime() >= b.getTime() ? a : b;
}

export type QualificationStatus = 'valid' | 'expired' | 'revoked';

export function qualificationStatus(q: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): QualificationStatus {
	if (q.revokedAt) return 'revoked';
	if (q.expiresAt && q.expiresAt.getTime() <= now.getTime()) return 'expired';
	return 'valid';
}

/** Start instant of a session typed as a local date and time in the place's zone. */
export function sessionStart(date: string, time: string, timeZone: string): Date {
	return zonedTimeToUtc(date, time, timeZone);
}
