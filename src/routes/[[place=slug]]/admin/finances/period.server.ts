// The period of the dashboard and its downloads, read from the URL (?from=YYYY-MM-DD&to=YYYY-MM-DD).
// Not a route: a helper shared by the dashboard and its export endpoints.
import { isAppError } from '$lib/server/errors';
import { parseInput } from '$lib/server/validation';
import { periodInput } from '$lib/modules/money/accounting-inputs';
import { defaultPeriod } from '$lib/modules/money/accounting-rules';
import { wallClock } from '$lib/modules/places/time';

export interface PeriodChoice {
	/** The valid period in use (the default one when the URL's is not valid). */
	period: { from: string; to: string };
	/** What the URL said (kept in the form), and the i18n keys of its errors. */
	typed: { from: string; to: string };
	errors: Record<string, string>;
}

/** Reads the period of the URL; without one, the current year up to today (place's zone). */
export function periodFromUrl(url: URL, timezone: string, now = new Date()): PeriodChoice {
	const fallback = defaultPeriod(wallClock(now, timezone).date);
	const from = url.searchParams.get('from');
	const to = url.searchParams.get('to');
	if (from === null && to === null) return { period: fallback, typed: fallback, errors: {} };
	const typed = { from: (from ?? '').slice(0, 40), to: (to ?? '').slice(0, 40) };
	try {
		return { period: parseInput(periodInput, typed), typed, errors: {} };
	} catch (e) {
		if (isAppError(e)) return { period: fallback, typed, errors: e.fields ?? {} };
		throw e;
	}
}
