import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { bookingOutput } from '$lib/modules/booking/api-schemas';
import { bookingInput } from '$lib/modules/booking/rules';
import { createBooking } from '$lib/modules/booking/commands.server';

export const POST = apiRoute({
	method: 'POST',
	path: '/places/{slug}/bookings',
	summary: 'Books a resource: a member for themself, staff (bookings.manage) for a member (userId) or as a block',
	description:
		'{"resourceId","startsAt","endsAt"} (ISO 8601 with offset) and, for staff, "userId" or "kind":"block". 409 slot_taken, not_qualified, closed or out_of_service; 400 invalid_input for bad times (off the step, too short or long, past, too far ahead). When the time is not free or fully covered by hour packs, the booking is pending and orderId names the order to pay within the hour.',
	auth: 'user',
	status: 201,
	errors: ['forbidden', 'not_found', 'slot_taken', 'not_qualified', 'closed', 'out_of_service'],
	input: bookingInput,
	output: bookingOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const { booking: b, dueCents } = await createBooking(ctx.db, scope, ctx.input);
		return { id: b.id, resourceId: b.resourceId, kind: b.kind, userId: b.userId, status: b.status, startsAt: b.startsAt, endsAt: b.endsAt, priceCents: b.priceCents, walletMinutes: b.walletMinutes, orderId: b.orderId, dueCents };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/bookings');
