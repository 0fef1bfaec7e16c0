// Shared by the trainings admin pages: form fields to command inputs. A value that is not a number is passed as
// typed, so the validation names its field instead of failing elsewhere.
import { parseEurosToCents } from '$lib/modules/money/rules';
import { addDays, zonedTimeToUtc } from '$lib/modules/places/time';

export const str = (fd: FormData, k: string) => (typeof fd.get(k) === 'string' ? (fd.get(k) as string) : '');

/** "12" -> 12; "" -> undefined (required); anything else as typed (invalid). */
export function intField(typed: string): number | string | undefined {
	const s = typed.trim();
	if (!s) return undefined;
	return /^\d{1,6}$/.test(s) ? Number(s) : s;
}

export function trainingTypeFromForm(fd: FormData): Record<string, unknown> {
	const price = parseEurosToCents(str(fd, 'price'));
	return {
		name: str(fd, 'name'),
		description: str(fd, 'description'),
		durationMinutes: intField(str(fd, 'durationMinutes')),
		priceCents: price === undefined ? 0 : price === null ? str(fd, 'price') : price,
		active: fd.get('active') === 'on',
		resourceIds: fd.getAll('resourceIds[]').filter((v): v is string => typeof v === 'string')
	};
}

export function sessionFromForm(fd: FormData): Record<string, unknown> {
	return { trainingTypeId: str(fd, 'trainingTypeId'), date: str(fd, 'date'), time: str(fd, 'time'), trainerId: str(fd, 'trainerId'), capacity: intField(str(fd, 'capacity')), note: str(fd, 'note') };
}

/** A typed expiry date (YYYY-MM-DD) is valid through that whole local day: it expires at the next midnight in the place's zone. */
export function expiryFromForm(typed: string, timeZone: string): string | undefined {
	const s = typed.trim();
	if (!s) return undefined;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
	try {
		return zonedTimeToUtc(addDays(s, 1), '00:00', timeZone).toISOString();
	} catch {
		return s;
	}
}
