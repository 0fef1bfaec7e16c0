import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { bookingOutput, cancelOutput } from '$lib/modules/booking/api-schemas';
import { getBooking } from '$lib/modules/booking/queries.server';
import { cancelBooking } from '$lib/modules/booking/commands.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/bookings/{id}',
	summary: 'One booking: the caller’s own, or any booking of the place for staff (bookings.manage)',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	output: bookingOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const b = await getBooking(ctx.db, scope, ctx.params.id);
		return { id: b.id, resourceId: b.resourceId, kind: b.kind, userId: b.userId, status: b.status, startsAt: b.startsAt, endsAt: b.endsAt, priceCents: b.priceCents, walletMinutes: b.walletMinutes, orderId: b.orderId };
	}
});

export const DELETE = apiRoute({
	method: 'DELETE',
	path: '/places/{slug}/bookings/{id}',
	summary: 'Cancels a booking: its person before the cancel deadline, or staff (bookings.manage) any time',
	description: 'What was paid goes back: hour-pack minutes, and cents as wallet credit (or recorded as a refund due, per the place’s policy). 403 after the deadline, 404 for someone else’s booking.',
	auth: 'user',
	errors: ['forbidden', 'not_found', 'conflict'],
	output: cancelOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const out = await cancelBooking(ctx.db, scope, ctx.params.id);
		return { id: out.booking.id, status: out.booking.status, minutesBack: out.minutesBack, creditCents: out.creditCents, refundDueCents: out.refundDueCents };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/bookings/{id}');
