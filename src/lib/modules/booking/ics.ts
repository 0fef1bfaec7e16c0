// iCalendar (RFC 5545) documents of the machine space, built with ical-generator: a machine's busy times (public:
// no names), a person's bookings (private feed), one booking (the confirmation e-mail attachment). Pure: no I/O.
// Times are written in UTC (…Z), which every calendar shows in its own zone, DST included.
import ical, { ICalCalendarMethod, ICalEventBusyStatus, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { translate, type Locale } from '../../i18n';

export interface IcsPlace {
	name: string;
	slug: string;
	address?: string;
}
export interface IcsResource {
	id?: string;
	name: string;
	slug: string;
	safetyNotes?: string;
}
export interface IcsBooking {
	id: string;
	startsAt: Date;
	endsAt: Date;
	status: 'pending' | 'confirmed' | 'cancelled';
	note?: string;
	createdAt?: Date;
}

const prodId = (locale: Locale) => ({ company: 'Lieu', product: 'Lieu', language: locale.toUpperCase() });
const uid = (kind: string, id: string, place: IcsPlace) => `${kind}-${id}@${place.slug}.lieu`;

/**
 * A UTF-8 byte counter standing in for TextEncoder while ical-generator writes a calendar (icsText): only
 * `encode(s).length` is used there.
 */
class Utf8Length {
	encode(s: string): { length: number } {
		let n = 0;
		for (let i = 0; i < s.length; i++) {
			const c = s.charCodeAt(i);
			if (c < 0x80) n += 1;
			else if (c < 0x800) n += 2;
			else if (c >= 0xd800 && c <= 0xdbff) {
				n += 4;
				i++;
			} else n += 3;
		}
		return { length: n };
	}
}

/**
 * The calendar's text. why: ical-generator 10 (the last release for Node 20) folds lines at 75 bytes by making a
 * TextEncoder for every character: 0.6 ms for one booking, most of a booking's own CPU, and seconds for a long feed.
 * Its toString is synchronous, so for that call only TextEncoder is a byte counter (same output, ics.test.ts); drop
 * this with ical-generator 11 (counts bytes itself, needs Node 22).
 */
export function icsText(cal: ReturnType<typeof ical>): string {
	const encoder = globalThis.TextEncoder;
	globalThis.TextEncoder = Utf8Length as unknown as typeof TextEncoder;
	try {
		return cal.toString();
	} finally {
		globalThis.TextEncoder = encoder;
	}
}

function calendar(name: string, locale: Locale) {
	return ical({ name, prodId: prodId(locale), method: ICalCalendarMethod.PUBLISH, ttl: 15 * 60 });
}

function addBooking(cal: ReturnType<typeof ical>, b: IcsBooking, r: IcsResource, place: IcsPlace, locale: Locale) {
	const t = (k: string, p?: Record<string, string>) => translate(locale, k, p);
	const description = [b.note ?? '', r.safetyNotes ? `${t('ics.safety')} ${r.safetyNotes}` : ''].filter(Boolean).join('\n\n');
	cal.createEvent({
		id: uid('booking', b.id, place),
		start: b.startsAt,
		end: b.endsAt,
		stamp: b.createdAt ?? b.startsAt,
		summary: t('ics.booking_summary', { resource: r.name, place: place.name }),
		description: description || null,
		location: place.address ? `${r.name}, ${place.name}, ${place.address}` : `${r.name}, ${place.name}`,
		status: b.status === 'cancelled' ? ICalEventStatus.CANCELLED : b.status === 'pending' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
		busystatus: ICalEventBusyStatus.BUSY,
		transparency: ICalEventTransparency.OPAQUE
	});
}

/** One booking as an .ics document (for the confirmation e-mail attachment and "add to my calendar"). */
export function bookingIcs(booking: IcsBooking, resource: IcsResource, place: IcsPlace, locale: Locale): string {
	const cal = calendar(translate(locale, 'ics.booking_calendar', { place: place.name }), locale);
	addBooking(cal, booking, resource, place, locale);
	return icsText(cal);
}

/** A person's bookings at a place (private feed). Cancelled bookings are sent as CANCELLED so calendars drop them. */
export function memberIcs(items: Array<{ booking: IcsBooking; resource: IcsResource }>, place: IcsPlace, locale: Locale): string {
	const cal = calendar(translate(locale, 'ics.member_calendar', { place: place.name }), locale);
	for (const i of items) addBooking(cal, i.booking, i.resource, place, locale);
	return icsText(cal);
}

export interface BusyPeriod {
	/** Stable id of what makes it busy (booking or outage id): the event's UID, never shown. */
	id: string;
	kind: 'booked' | 'outage';
	startsAt: Date;
	endsAt: Date;
}

/** A machine's busy times for the public: "Réservé" / "Hors service", no names, no notes. */
export function busyIcs(resource: IcsResource, place: IcsPlace, periods: readonly BusyPeriod[], locale: Locale, stamp: Date): string {
	const cal = calendar(translate(locale, 'ics.busy_calendar', { resource: resource.name, place: place.name }), locale);
	for (const p of periods) {
		cal.createEvent({
			id: uid(p.kind, p.id, place),
			start: p.startsAt,
			end: p.endsAt,
			stamp,
			summary: translate(locale, p.kind === 'outage' ? 'ics.outage' : 'ics.booked'),
			location: `${resource.name}, ${place.name}`,
			busystatus: ICalEventBusyStatus.BUSY,
			transparency: ICalEventTransparency.OPAQUE,
			class: null
		});
	}
	return icsText(cal);
}

/** HTTP headers of an .ics answer. */
export function icsHeaders(filename: string, cache: 'public' | 'private'): Record<string, string> {
	return {
		'content-type': 'text/calendar; charset=utf-8',
		'content-disposition': `inline; filename="${filename.replace(/[^a-z0-9._-]/gi, '-')}"`,
		'cache-control': cache === 'public' ? 'public, max-age=300' : 'private, no-store',
		'x-content-type-options': 'nosniff'
	};
}
