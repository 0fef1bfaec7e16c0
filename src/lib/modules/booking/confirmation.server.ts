// The confirmation e-mail of a booking, with its .ics attached: sent when a booking becomes confirmed (at once
// when nothing is due, or when its order is paid), inside that transaction through the outbox.
import { eq } from 'drizzle-orm';
import type { Tx } from '../../server/db/client';
import { place, user } from '../../server/db/schema';
import { env } from '../../server/env';
import { queueMail } from '../../server/mail';
import { formatDateTime, isLocale, translate } from '../../i18n';
import { booking, resource } from './schema';
import { bookingIcs } from './ics';

/** Queues the confirmation of a confirmed booking to its person (nothing for a block or an erased account). */
export async function mailBookingConfirmation(tx: Tx, bookingId: string): Promise<void> {
	const [row] = await tx
		.select({ b: booking, email: user.email, name: user.name, locale: user.locale, placeName: place.name, slug: place.slug, address: place.address, timezone: place.timezone, rName: resource.name, rSlug: resource.slug, safety: resource.safetyNotes })
		.from(booking)
		.innerJoin(user, eq(user.id, booking.userId))
		.innerJoin(place, eq(place.id, booking.placeId))
		.innerJoin(resource, eq(resource.id, booking.resourceId))
		.where(eq(booking.id, bookingId));
	if (!row || row.b.status !== 'confirmed' || row.b.kind !== 'booking') return;
	const locale = isLocale(row.locale) ? row.locale : 'fr';
	const fmt = (d: Date, o: Intl.DateTimeFormatOptions) => formatDateTime(d, locale, row.timezone, o);
	const ics = bookingIcs(
		{ id: row.b.id, startsAt: row.b.startsAt, endsAt: row.b.endsAt, status: 'confirmed', note: row.b.note, createdAt: row.b.createdAt },
		{ name: row.rName, slug: row.rSlug, safetyNotes: row.safety },
		{ name: row.placeName, slug: row.slug, address: row.address || undefined },
		locale
	);
	await queueMail(tx, {
		placeId: row.b.placeId,
		to: row.email,
		locale,
		name: row.name,
		placeName: row.placeName,
		template: 'mail.booking_confirmed',
		params: {
			resource: row.rName,
			when: `${fmt(row.b.startsAt, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' })} – ${fmt(row.b.endsAt, { hour: '2-digit', minute: '2-digit' })}`
		},
		extra: row.safety ? [translate(locale, 'mail.booking_confirmed.safety', { notes: row.safety })] : [],
		url: `${env().baseUrl}/${row.slug}/reservations/${row.b.id}`,
		attachments: [{ filename: `reservation-${row.rSlug}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }]
	});
}
