// Shared by the catalogue pages: a product form (prices typed in euros) to the product input.
import { AUDIENCES } from '$lib/modules/money/schema';
import { parseEurosToCents } from '$lib/modules/money/rules';

/** The product fields of a submitted form; a price that is not an amount is passed as typed so validation names it. */
export function productFromForm(fd: FormData): Record<string, unknown> {
	const str = (k: string) => (typeof fd.get(k) === 'string' ? (fd.get(k) as string) : '');
	const prices: Record<string, unknown> = {};
	for (const a of AUDIENCES) {
		const typed = str(`prices.${a}`);
		const cents = parseEurosToCents(typed);
		if (cents !== undefined) prices[a] = cents === null ? typed : cents;
	}
	// why: a missing public price must be reported on its field, not as an unknown error.
	if (!('public' in prices)) prices.public = undefined;
	return { name: str('name'), activity: str('activity'), vatCategory: str('vatCategory'), prices, active: fd.has('active') ? fd.get('active') === 'on' : true };
}
