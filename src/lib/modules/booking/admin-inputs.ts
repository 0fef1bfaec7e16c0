// Input schemas of the machine-space administration (resources, opening hours, maintenance log, check-out).
// Messages are i18n keys; shared by the commands, the pages and the tests.
import { z } from 'zod';
import { MAINTENANCE_KINDS, RESOURCE_KINDS } from './schema';
import { isIsoDate } from './hours';

const id = z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid');
const optionalId = z
	.string('field.invalid')
	.trim()
	.max(64, 'field.invalid')
	.nullish()
	.transform((v) => (v ? v : null));
const int = (min: number, max: number) => z.number('field.invalid').int('field.invalid').min(min, 'field.invalid').max(max, 'field.invalid');
const text = (max: number) => z.string('field.invalid').trim().max(max, 'field.too_long').default('');

export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A resource of the place with its booking settings. Durations in minutes; min and max are whole slots. */
export const resourceInput = z
	.strictObject({
		kind: z.enum(RESOURCE_KINDS, 'field.invalid'),
		name: z.string('field.required').trim().min(1, 'field.required').max(120, 'field.too_long'),
		slug: z.string('field.required').trim().toLowerCase().min(1, 'field.required').max(60, 'field.too_long').regex(SLUG_RE, 'resources.bad_slug'),
		description: text(4000),
		photoUrl: text(500).refine((v) => v === '' || /^https:\/\/[^\s"'<>]+$/.test(v) || /^\/[^\s"'<>]*$/.test(v), 'resources.bad_photo'),
		safetyNotes: text(4000),
		allowedMaterials: text(2000),
		parentId: optionalId,
		requiresQualification: z.boolean('field.invalid').default(false),
		qualificationMonths: int(1, 120).nullish().transform((v) => v ?? null),
		bookable: z.boolean('field.invalid').default(false),
		active: z.boolean('field.invalid').default(true),
		productId: optionalId,
		slotMinutes: int(5, 1440).default(30),
		minMinutes: int(5, 10080).default(30),
		maxMinutes: int(5, 10080).default(240),
		maxAdvanceDays: int(0, 730).default(30),
		cancelHours: int(0, 720).default(24),
		openAccessOnly: z.boolean('field.invalid').default(false)
	})
	.superRefine((v, ctx) => {
		if (v.minMinutes < v.slotMinutes) ctx.addIssue({ code: 'custom', path: ['minMinutes'], message: 'resources.min_below_slot' });
		else if (v.minMinutes % v.slotMinutes) ctx.addIssue({ code: 'custom', path: ['minMinutes'], message: 'resources.not_whole_slots' });
		if (v.maxMinutes < v.minMinutes) ctx.addIssue({ code: 'custom', path: ['maxMinutes'], message: 'resources.max_below_min' });
		else if (v.maxMinutes % v.slotMinutes) ctx.addIssue({ code: 'custom', path: ['maxMinutes'], message: 'resources.not_whole_slots' });
		if (v.kind === 'room' && v.parentId) ctx.addIssue({ code: 'custom', path: ['parentId'], message: 'resources.room_has_parent' });
	});
export type ResourceInput = z.input<typeof resourceInput>;

/** A new catalogue product for a resource's hour price (prices per audience in cents, public required). */
export const hourProductInput = z.strictObject({
	name: z.string('field.required').trim().min(1, 'field.required').max(120, 'field.too_long'),
	prices: z.strictObject({
		public: int(0, 100_000_000),
		member: int(0, 100_000_000).optional(),
		reduced: int(0, 100_000_000).optional(),
		resident: int(0, 100_000_000).optional()
	})
});
export type HourProductInput = z.input<typeof hourProductInput>;

const minuteRange = z.strictObject({ opensMin: int(0, 1439), closesMin: int(1, 1440) }).refine((r) => r.closesMin > r.opensMin, 'hours.bad_range');

/** The weekly pattern of the place or a resource: ranges per ISO weekday (1 = Monday … 7 = Sunday). */
export const weeklyHoursInput = z
	.strictObject({
		resourceId: optionalId,
		days: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7'], 'field.invalid'), z.array(minuteRange, 'field.invalid').max(6, 'hours.too_many'), 'field.invalid')
	})
	.superRefine((v, ctx) => {
		for (const [day, ranges] of Object.entries(v.days)) {
			const s = [...ranges].sort((a, b) => a.opensMin - b.opensMin);
			for (let i = 1; i < s.length; i++) if (s[i].opensMin < s[i - 1].closesMin) ctx.addIssue({ code: 'custom', path: ['days', day], message: 'hours.overlap' });
		}
	});
export type WeeklyHoursInput = z.input<typeof weeklyHoursInput>;

const isoDate = z.string('field.required').trim().refine(isIsoDate, 'hours.bad_date');

/** A date departing from the weekly pattern: closed, or open on other ranges. */
export const exceptionInput = z
	.strictObject({
		resourceId: optionalId,
		date: isoDate,
		closed: z.boolean('field.invalid'),
		ranges: z.array(minuteRange, 'field.invalid').max(6, 'hours.too_many').default([]),
		reason: text(200)
	})
	.superRefine((v, ctx) => {
		if (!v.closed && v.ranges.length === 0) ctx.addIssue({ code: 'custom', path: ['ranges'], message: 'hours.ranges_required' });
		const s = [...v.ranges].sort((a, b) => a.opensMin - b.opensMin);
		for (let i = 1; i < s.length; i++) if (s[i].opensMin < s[i - 1].closesMin) ctx.addIssue({ code: 'custom', path: ['ranges'], message: 'hours.overlap' });
	});
export type ExceptionInput = z.input<typeof exceptionInput>;

/** An open-access window on a local date (start and end minutes of that date, the place's zone). */
export const openAccessInput = z
	.strictObject({
		resourceId: optionalId,
		referentId: optionalId,
		date: isoDate,
		startMin: int(0, 1439),
		endMin: int(1, 1440),
		note: text(200)
	})
	.refine((v) => v.endMin > v.startMin, { path: ['endMin'], message: 'hours.bad_range' });
export type OpenAccessInput = z.input<typeof openAccessInput>;

/** An entry of a machine's maintenance log. */
export const maintenanceInput = z.strictObject({
	kind: z.enum(MAINTENANCE_KINDS, 'field.invalid'),
	body: z.string('field.required').trim().min(1, 'field.required').max(4000, 'field.too_long')
});
export type MaintenanceInput = z.input<typeof maintenanceInput>;

/** What a person declares at check-out: materials used and, if anything went wrong, an incident. */
export const checkOutInput = z.strictObject({
	materials: z
		.array(
			z
				.strictObject({
					productId: optionalId,
					label: text(120),
					quantity: int(1, 9999).default(1)
				})
				.refine((m) => m.productId || m.label, { path: ['label'], message: 'field.required' }),
			'field.invalid'
		)
		.max(20, 'field.invalid')
		.default([]),
	incident: text(4000)
});
export type CheckOutInput = z.input<typeof checkOutInput>;

export const bookingIdInput = z.strictObject({ bookingId: id });
