// Shared by the machine pages: a submitted resource form to the resource input (numbers typed as text are
// passed as typed when they are not whole numbers, so validation names the field).
import { parseEurosToCents } from '$lib/modules/money/rules';
import { isIsoDate, localMinutesToUtc, parseTimeOfDay } from '$lib/modules/booking/hours';
import { AppError } from '$lib/server/errors';

const str = (fd: FormData, k: string) => (typeof fd.get(k) === 'string' ? (fd.get(k) as string) : '');

function whole(typed: string): number | string | undefined {
	const s = typed.trim();
	if (s === '') return undefined;
	return /^\d{1,6}$/.test(s) ? Number(s) : s;
}

export function resourceFromForm(fd: FormData): Record<string, unknown> {
	const box = (k: string) => fd.get(k) === 'on';
	const months = whole(str(fd, 'qualificationMonths'));
	return {
		kind: str(fd, 'kind'),
		name: str(fd, 'name'),
		slug: str(fd, 'slug'),
		description: str(fd, 'description'),
		photoUrl: str(fd, 'photoUrl').trim(),
		safetyNotes: str(fd, 'safetyNotes'),
		allowedMaterials: str(fd, 'allowedMaterials'),
		parentId: str(fd, 'parentId') || null,
		requiresQualification: box('requiresQualification'),
		qualificationMonths: months === undefined ? null : months,
		bookable: box('bookable'),
		active: box('active'),
		productId: str(fd, 'productId') || null,
		slotMinutes: whole(str(fd, 'slotMinutes')),
		minMinutes: whole(str(fd, 'minMinutes')),
		maxMinutes: whole(str(fd, 'maxMinutes')),
		maxAdvanceDays: whole(str(fd, 'maxAdvanceDays')),
		cancelHours: whole(str(fd, 'cancelHours')),
		openAccessOnly: box('openAccessOnly')
	};
}

/** The "create an hour price" form: name and prices typed in euros. */
export function hourProductFromForm(fd: FormData): Record<string, unknown> {
	const prices: Record<string, unknown> = {};
	for (const [field, audience] of [
		['pricePublic', 'public'],
		['priceMember', 'member']
	] as const) {
		const typed = str(fd, field);
		const cents = parseEurosToCents(typed);
		if (cents !== undefined) prices[audience] = cents === null ? typed : cents;
	}
	if (!('public' in prices)) prices.public = undefined;
	return { name: str(fd, 'productName'), prices };
}

/**
 * The out-of-service form (local dates and times of the place, times as people type them: "9h", "18:30") to the
 * outage command's input (instants with their offset). Each field that is missing or not a date/time is named.
 */
export function outageFromForm(fd: FormData, resourceId: string, timeZone: string): { resourceId: string; startsAt: string; endsAt: string; reason: string } {
	const fields: Record<string, string> = {};
	const at = (dateField: string, timeField: string) => {
		const date = str(fd, dateField).trim();
		const time = str(fd, timeField).trim();
		if (!date) fields[dateField] = 'field.required';
		else if (!isIsoDate(date)) fields[dateField] = 'field.invalid';
		const minutes = time ? parseTimeOfDay(time) : null;
		if (!time) fields[timeField] = 'field.required';
		else if (minutes === null) fields[timeField] = 'hours.bad_time';
		return fields[dateField] || fields[timeField] ? null : localMinutesToUtc(date, minutes!, timeZone);
	};
	const start = at('outageFromDate', 'outageFromTime');
	const end = at('outageToDate', 'outageToTime');
	if (start && end && end <= start) fields.outageToTime = 'field.end_after_start';
	if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
	return { resourceId, startsAt: start!.toISOString(), endsAt: end!.toISOString(), reason: str(fd, 'outageReason') };
}
