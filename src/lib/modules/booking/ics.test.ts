// The .ics documents, parsed back with ical.js (Mozilla's RFC 5545 parser) and checked line by line.
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import ical from 'ical-generator';
import { bookingIcs, busyIcs, icsText, memberIcs } from './ics';
import { localMinutesToUtc } from './hours';

const place = { name: 'La Tréso', slug: 'la-treso', address: '6 rue Gambetta, 92240 Malakoff' };
const laser = { name: 'Découpeuse laser', slug: 'decoupeuse-laser', safetyNotes: 'Jamais de PVC.' };

function parse(ics: string) {
	const comp = new ICAL.Component(ICAL.parse(ics));
	return { comp, events: comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

/** RFC 5545 §3.1: CRLF line ends, content lines folded at 75 octets. */
function expectStrictLines(ics: string) {
	expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
	expect(ics.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
	for (const line of ics.split('\r\n')) {
		expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
		expect(line).not.toMatch(/[\r\n]/);
	}
}

describe('bookingIcs', () => {
	it('is one event at the booked instants, in UTC, with the place and the safety notes', () => {
		// A booking on the spring-forward Sunday in Paris: 10:00–12:00 local = 08:00–10:00 UTC.
		const b = { id: 'bk1', startsAt: localMinutesToUtc('2026-03-29', 600, 'Europe/Paris'), endsAt: localMinutesToUtc('2026-03-29', 720, 'Europe/Paris'), status: 'confirmed' as const, note: 'Boîte en MDF' };
		const ics = bookingIcs(b, laser, place, 'fr');
		expectStrictLines(ics);
		expect(ics).toContain('DTSTART:20260329T080000Z');
		expect(ics).toContain('DTEND:20260329T100000Z');
		expect(ics).toContain('METHOD:PUBLISH');
		const { events } = parse(ics);
		expect(events).toHaveLength(1);
		expect(events[0].summary).toBe('Découpeuse laser — La Tréso');
		expect(events[0].uid).toBe('booking-bk1@la-treso.lieu');
		expect(events[0].startDate.toJSDate().toISOString()).toBe('2026-03-29T08:00:00.000Z');
		expect(events[0].location).toContain('6 rue Gambetta');
		expect(events[0].description).toContain('Jamais de PVC.');
		expect(events[0].component.getFirstPropertyValue('status')).toBe('CONFIRMED');
	});
	it('speaks English when asked and marks pending bookings tentative', () => {
		const ics = bookingIcs({ id: 'x', startsAt: new Date('2026-06-01T08:00:00Z'), endsAt: new Date('2026-06-01T09:00:00Z'), status: 'pending' }, laser, place, 'en');
		const { comp, events } = parse(ics);
		expect(comp.getFirstPropertyValue('x-wr-calname')).toBe('Booking — La Tréso');
		expect(events[0].component.getFirstPropertyValue('status')).toBe('TENTATIVE');
	});
});

describe('busyIcs', () => {
	it('shows only "Réservé" / "Hors service", no names or notes', () => {
		const ics = busyIcs(
			laser,
			place,
			[
				{ id: 'h1', kind: 'booked', startsAt: new Date('2026-03-28T09:00:00Z'), endsAt: new Date('2026-03-28T10:00:00Z') },
				{ id: 'o1', kind: 'outage', startsAt: new Date('2026-03-30T07:00:00Z'), endsAt: new Date('2026-03-31T16:00:00Z') }
			],
			'fr',
			new Date('2026-03-27T12:00:00Z')
		);
		expectStrictLines(ics);
		const { events } = parse(ics);
		expect(events.map((e) => e.summary)).toEqual(['Réservé', 'Hors service']);
		expect(events.every((e) => !e.description)).toBe(true);
		expect(events[1].endDate.toJSDate().toISOString()).toBe('2026-03-31T16:00:00.000Z');
	});
});

describe('memberIcs', () => {
	it('lists the person’s bookings and sends cancelled ones as CANCELLED', () => {
		const ics = memberIcs(
			[
				{ booking: { id: 'a', startsAt: new Date('2026-04-01T08:00:00Z'), endsAt: new Date('2026-04-01T09:00:00Z'), status: 'confirmed' }, resource: laser },
				{ booking: { id: 'b', startsAt: new Date('2026-04-02T08:00:00Z'), endsAt: new Date('2026-04-02T09:30:00Z'), status: 'cancelled' }, resource: { name: 'Fraiseuse numérique CNC', slug: 'fraiseuse-cnc' } }
			],
			place,
			'fr'
		);
		expectStrictLines(ics);
		const { comp, events } = parse(ics);
		expect(comp.getFirstPropertyValue('x-wr-calname')).toBe('Mes réservations — La Tréso');
		expect(events.map((e) => e.component.getFirstPropertyValue('status'))).toEqual(['CONFIRMED', 'CANCELLED']);
		expect(events[1].summary).toBe('Fraiseuse numérique CNC — La Tréso');
	});
});

describe('icsText', () => {
	it('writes what ical-generator writes, folded at 75 bytes with accents, emoji and CJK, and gives TextEncoder back', () => {
		const cal = ical({ name: 'Réservations · La Tréso' });
		const long = 'Découpeuse laser 🔥 — lunettes obligatoires, 排气扇 allumé, ' .repeat(6);
		for (let i = 0; i < 3; i++) cal.createEvent({ id: `e${i}@la-treso.lieu`, start: new Date(Date.UTC(2026, 2, 29, 8 + i)), end: new Date(Date.UTC(2026, 2, 29, 9 + i)), stamp: new Date(Date.UTC(2026, 0, 1)), summary: long.slice(i), description: long + i });
		const encoder = globalThis.TextEncoder;
		const text = icsText(cal);
		expect(globalThis.TextEncoder).toBe(encoder);
		expect(text).toBe(cal.toString());
		expectStrictLines(text);
		expect(text.split('\r\n').filter((l) => l.startsWith(' ')).length).toBeGreaterThan(10);
	});
});
