import { describe, expect, it } from 'vitest';
import { addMonthsToDate, isCalendarDate, laterExpiry, sessionInput, qualificationExpiry, qualificationStatus, sessionStart } from './rules';

describe('qualification expiry', () => {
	it('adds months on the calendar, clamping to the end of the month', () => {
		expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
		expect(addMonthsToDate('2027-12-31', 2)).toBe('2028-02-29');
		expect(addMonthsToDate('2026-11-26', 24)).toBe('2028-11-26');
		expect(addMonthsToDate('2026-11-15', 14)).toBe('2028-01-15');
	});
	it('keeps the wall-clock time in the place’s zone across a DST change; null months = never', () => {
		// 14:00 in Paris on 5 December (winter) -> 14:00 in Paris on 5 June (summer): 12:00Z, not 13:00Z.
		expect(qualificationExpiry(new Date('2026-12-05T13:00:00Z'), 6, 'Europe/Paris')?.toISOString()).toBe('2027-06-05T12:00:00.000Z');
		expect(qualificationExpiry(new Date('2026-12-05T13:00:00Z'), null, 'Europe/Paris')).toBeNull();
	});
	it('a renewal keeps the later expiry, never winning', () => {
		const a = new Date('2027-01-01T00:00:00Z');
		const b = new Date('2028-01-01T00:00:00Z');
		expect(laterExpiry(a, b)).toBe(b);
		expect(laterExpiry(b, a)).toBe(b);
		expect(laterExpiry(null, a)).toBeNull();
		expect(laterExpiry(a, null)).toBeNull();
	});
	it('status: revoked before expired before valid', () => {
		const now = new Date('2027-01-01T00:00:00Z');
		expect(qualificationStatus({ revokedAt: new Date('2026-01-01'), expiresAt: null }, now)).toBe('revoked');
		expect(qualificationStatus({ revokedAt: null, expiresAt: now }, now)).toBe('expired');
		expect(qualificationStatus({ revokedAt: null, expiresAt: new Date('2027-01-02') }, now)).toBe('valid');
		expect(qualificationStatus({ revokedAt: null, expiresAt: null }, now)).toBe('valid');
	});
	it('a session typed at 10:00 in Paris starts at 09:00Z in winter', () => {
		expect(sessionStart('2026-12-12', '10:00', 'Europe/Paris').toISOString()).toBe('2026-12-12T09:00:00.000Z');
	});
});

describe('session input', () => {
	it('refuses a day that does not exist instead of rolling it over', () => {
		expect(isCalendarDate('2028-02-29')).toBe(true);
		expect(isCalendarDate('2026-02-30')).toBe(false);
		const r = sessionInput.safeParse({ trainingTypeId: 't', date: '2026-02-30', time: '10:00', capacity: 4 });
		expect(r.success).toBe(false);
		expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['date', 'field.trainings_date']]);
	});
	it('an empty trainer means none', () => {
		expect(sessionInput.parse({ trainingTypeId: 't', date: '2026-12-01', time: '10:00', capacity: 4, trainerId: '' }).trainerId).toBeNull();
	});
});
