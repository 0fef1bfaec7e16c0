// Shared by the machine pages: a submitted resource form to the resource input (numbers typed as text are
// passed as typed when they are not whole numbers, so validation names the field).
import { parseEurosToCents } from '$lib/modules/money/rules';

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
