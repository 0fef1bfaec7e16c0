// Request and response schemas of the booking routes of the JSON API (they also document them in OpenAPI).
import { z } from 'zod';
import { BOOKING_KINDS, BOOKING_STATUSES, RESOURCE_KINDS } from './schema';

export const resourcesOutput = z.array(
	z.object({
		id: z.string(),
		slug: z.string(),
		name: z.string(),
		kind: z.enum(RESOURCE_KINDS),
		description: z.string(),
		safetyNotes: z.string(),
		requiresQualification: z.boolean(),
		bookable: z.boolean().describe('Whether members can book it online.'),
		parentId: z.string().nullable().describe('The room that contains it, if any.'),
		slotMinutes: z.number().int().describe('Bookings start and end on this step, from local midnight.'),
		minMinutes: z.number().int(),
		maxMinutes: z.number().int(),
		openAccessOnly: z.boolean()
	})
);

export const availabilityQuery = z.strictObject({
	from: z.iso.datetime({ offset: true, message: 'field.invalid' }).describe('Start of the period (ISO 8601 with offset).'),
	to: z.iso.datetime({ offset: true, message: 'field.invalid' }).describe('End of the period; at most 62 days after from.')
});

const interval = z.object({ start: z.iso.datetime(), end: z.iso.datetime() });
export const availabilityOutput = z.object({
	resourceId: z.string(),
	from: z.iso.datetime(),
	to: z.iso.datetime(),
	free: z.array(interval).describe('Bookable and not booked.'),
	busy: z.array(interval).describe('Booked (by anyone; no names).'),
	outOfService: z.array(interval),
	closed: z.array(interval).describe('Outside opening hours (or open-access sessions).')
});

export const bookingOutput = z.object({
	id: z.string(),
	resourceId: z.string(),
	kind: z.enum(BOOKING_KINDS),
	userId: z.string().nullable(),
	status: z.enum(BOOKING_STATUSES),
	startsAt: z.iso.datetime(),
	endsAt: z.iso.datetime(),
	priceCents: z.number().int().describe('Price of the time at the person’s audience (TTC, cents).'),
	walletMinutes: z.number().int().describe('Minutes taken from hour packs.'),
	orderId: z.string().nullable().describe('The order to pay (GET /places/{slug}/orders/{id}) while the booking is pending.'),
	dueCents: z.number().int().optional()
});

export const cancelOutput = z.object({
	id: z.string(),
	status: z.enum(BOOKING_STATUSES),
	minutesBack: z.number().int(),
	creditCents: z.number().int(),
	refundDueCents: z.number().int()
});
