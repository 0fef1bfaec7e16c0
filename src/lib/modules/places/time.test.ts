// The wall clock of an instant, checked against Intl read directly (the reference), across zones with odd offsets
// and clock changes that do not fall on a whole UTC hour: zoneOffsetMs remembers steady hours, and must never
// carry an offset across a change.
import { describe, expect, it } from 'vitest';
import { addDays, nextWeekday, wallClock, zonedTimeToUtc, zoneOffsetMs } from './time';

function reference(instant: Date, timeZone: string) {
	const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short' });
	const p: Record<string, string> = {};
	for (const { type, value } of f.formatToParts(instant)) p[type] = value;
	const offset = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(instant.getTime() / 1000) * 1000;
	return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday), offset };
}

// Paris (DST at 01:00Z), Lord Howe (a 30-minute change at 15:30Z), Kathmandu (+05:45), St John's (−03:30 with
// DST), Apia (skipped 30 December 2011 entirely), UTC.
const ZONES = ['Europe/Paris', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Apia', 'UTC'];

describe('wallClock and zoneOffsetMs', () => {
	it('agree with Intl minute by minute around every clock change of 2011 and 2026–2027', () => {
		let changes = 0;
		for (const zone of ZONES) {
			for (const [from, to] of [
				['2011-01-01', '2012-01-01'],
				['2026-01-01', '2028-01-01']
			]) {
				// find the days with a change, then its hour, then check each minute of the 3 hours around it
				for (let d = Date.parse(`${from}T00:00:00Z`); d < Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
					if (reference(new Date(d), zone).offset === reference(new Date(d + 86_400_000), zone).offset) continue;
					for (let t = d; t < d + 86_400_000; t += 3_600_000) {
						if (reference(new Date(t), zone).offset === reference(new Date(t + 3_600_000), zone).offset) continue;
						changes++;
						for (let m = t - 3_600_000; m <= t + 7_200_000; m += 60_000) {
							const ref = reference(new Date(m), zone);
							expect({ ...wallClock(new Date(m), zone), offset: zoneOffsetMs(new Date(m), zone) }, `${zone} ${new Date(m).toISOString()}`).toEqual(ref);
						}
					}
				}
			}
		}
		// Paris, Lord Howe and St John's: 2 a year over 3 years each; Apia in 2011: DST end, the skipped day, DST start
		expect(changes).toBeGreaterThanOrEqual(21);
	}, 60_000);

	it('agree with Intl on random instants from 1950 to 2060, asked twice (the second answer comes from memory)', () => {
		let seed = 42;
		const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
		for (let i = 0; i < 3000; i++) {
			const zone = ZONES[i % ZONES.length];
			const instant = new Date(Date.UTC(1950, 0, 1) + Math.floor(rand() * 110 * 365.25 * 86_400_000));
			const ref = reference(instant, zone);
			for (let k = 0; k < 2; k++) expect({ ...wallClock(instant, zone), offset: zoneOffsetMs(instant, zone) }, `${zone} ${instant.toISOString()}`).toEqual(ref);
		}
	});

	it('turns wall clocks into instants across the Paris changes (skipped time moves forward, repeated time is winter)', () => {
		expect(zonedTimeToUtc('2027-03-28', '01:30', 'Europe/Paris').toISOString()).toBe('2027-03-28T00:30:00.000Z');
		expect(zonedTimeToUtc('2027-03-28', '02:30', 'Europe/Paris').toISOString()).toBe('2027-03-28T01:30:00.000Z');
		expect(zonedTimeToUtc('2027-03-28', '10:00', 'Europe/Paris').toISOString()).toBe('2027-03-28T08:00:00.000Z');
		expect(zonedTimeToUtc('2027-10-31', '02:30', 'Europe/Paris').toISOString()).toBe('2027-10-31T01:30:00.000Z');
		expect(zonedTimeToUtc('2027-10-31', '10:00', 'Europe/Paris').toISOString()).toBe('2027-10-31T09:00:00.000Z');
		expect(addDays('2027-03-27', 2)).toBe('2027-03-29');
		// 28 March 2027 is a Sunday: the next Sunday after a Saturday evening in Paris is the next day
		expect(nextWeekday(new Date('2027-03-27T20:00:00Z'), 'Europe/Paris', 0)).toBe('2027-03-28');
		// …and after 23:30Z that Saturday it is already Sunday in Paris: the next Sunday is a week later
		expect(nextWeekday(new Date('2027-03-27T23:30:00Z'), 'Europe/Paris', 0)).toBe('2027-04-04');
	});
});
