// The out-of-service form of /admin/machines/[id]: local dates and typed times of the place to instants.
import { describe, expect, it } from 'vitest';
import { outageFromForm } from '../../src/routes/[[place=slug]]/admin/machines/form.server';
import { AppError } from '../../src/lib/server/errors';

const fd = (v: Record<string, string>) => {
	const f = new FormData();
	for (const [k, x] of Object.entries(v)) f.set(k, x);
	return f;
};
const fieldsOf = (v: Record<string, string>) => {
	try {
		outageFromForm(fd(v), 'laser', 'Europe/Paris');
	} catch (e) {
		return (e as AppError).fields;
	}
	throw new Error('accepted');
};

describe('outageFromForm', () => {
	it('reads the place’s wall clock on both sides of a clock change', () => {
		expect(outageFromForm(fd({ outageFromDate: '2027-03-27', outageFromTime: '9h', outageToDate: '2027-03-28', outageToTime: '18:30', outageReason: 'Tube' }), 'laser', 'Europe/Paris')).toEqual({
			resourceId: 'laser',
			startsAt: '2027-03-27T08:00:00.000Z',
			endsAt: '2027-03-28T16:30:00.000Z',
			reason: 'Tube'
		});
		const autumn = outageFromForm(fd({ outageFromDate: '2027-10-31', outageFromTime: '09:00', outageToDate: '2027-10-31', outageToTime: '24:00', outageReason: 'x' }), 'laser', 'Europe/Paris');
		expect([autumn.startsAt, autumn.endsAt]).toEqual(['2027-10-31T08:00:00.000Z', '2027-10-31T23:00:00.000Z']);
	});

	it('names each missing or unreadable field, and an end not after the start', () => {
		expect(fieldsOf({})).toEqual({ outageFromDate: 'field.required', outageFromTime: 'field.required', outageToDate: 'field.required', outageToTime: 'field.required' });
		expect(fieldsOf({ outageFromDate: '2027-02-30', outageFromTime: 'midi', outageToDate: '2027-03-01', outageToTime: '9h' })).toEqual({ outageFromDate: 'field.invalid', outageFromTime: 'hours.bad_time' });
		expect(fieldsOf({ outageFromDate: '2027-03-01', outageFromTime: '9h', outageToDate: '2027-03-01', outageToTime: '9h' })).toEqual({ outageToTime: 'field.end_after_start' });
	});
});
