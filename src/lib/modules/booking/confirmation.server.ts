// The confirmation e-mail of a booking, with its .ics attached: sent when a booking becomes confirmed (at once
// when nothing is due, or when its order is paid), inside that transaction through the outbox.
import { eq } from 'drizzle-orm';
import type { Tx } from '../../server/db/client';
import { place, user } from '../../server/db/schema';
import { env } from '../../server/env';
import { queueMail, type MailInput } from '../../server/mail';
import { formatDateTime, isLocale, translate } from '../../i18n';
import { booking, resource } from './schema';
import { bookingIcs } from './ics';

/** What the confirmation mail says: the booking, its person, its resource and its place. */
export interface ConfirmationData {
	b: { id: string; placeId: string; startsAt: Date; endsAt: Date; note: string; createdAt: Date };
	person: { email: string; name: string; locale: string | null };
	resource: { name: string; slug: string; safetyNotes: string };
	place: { name: string; slug: string; address: string; timezone: string };
}

/** The confirmation mail of a confirmed booking (the booking command inserts it with the booking, in one statement). */
export function confirmationMail(d: ConfirmationData): MailInput {
	const locale = isLocale(d.person.locale) ? d.person.locale : 'fr';
	const fmt = (x: Date, o: Intl.DateTimeFormatOptions) => formatDateTime(x, locale, d.place.timezone, o);
	const ics = bookingIcs(
		{ id: d.b.id, startsAt: d.b.startsAt, endsAt: d.b.endsAt, status: 'confirmed', note: d.b.note, createdAt: d.b.createdAt },
		{ name: d.resource.name, slug: d.resource.slug, safetyNotes: d.resource.safetyNotes },
		{ name: d.place.name, slug: d.place.slug, address: d.place.address || undefined },
		locale
	);
	return {
		placeId: d.b.placeId,
		to: d.person.email,
		locale,
		name: d.person.name,
		placeName: d.place.name,
		template: 'mail.booking_confirmed',
		params: {
			resource: d.resource.name,
			when: `${fmt(d.b.startsAt, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' })} – ${fmt(d.b.endsAt, { hour: '2-digit', minute: '2-digit' })}`
		},
		extra: d.resource.safetyNotes ? [translate(locale, 'mail.booking_confirmed.safety', { notes: d.resource.safetyNotes })] : [],
		url: `${env().baseUrl}/${d.place.slug}/reservations/${d.b.id}`,
		attachments: [{ filename: `reservation-${d.resource.slug}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }]
	};
}

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
	await queueMail(
		tx,
		confirmationMail({
			b: row.b,
			person: { email: row.email, name: row.name, locale: row.locale },
			resource: { name: row.rName, slug: row.rSlug, safetyNotes: row.safety },
			place: { name: row.placeName, slug: row.slug, address: row.address, timezone: row.timezone }
		})
	);
}
