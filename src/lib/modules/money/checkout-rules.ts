// Pure helpers of the checkout and wallet pages: amounts typed by people, hours shown to them.

/**
 * Parses an amount typed in a form: euros with a comma or a dot and at most two decimals ("5,50", "-2")
 * into cents, or whole minutes. Signed when `signed`; undefined when it is not a valid amount.
 */
export function parseTypedAmount(text: unknown, unit: 'cents' | 'minutes', opts: { signed?: boolean } = {}): number | undefined {
	if (typeof text !== 'string') return undefined;
	const s = text.trim().replace(/\s|\u00a0|€/g, '');
	const sign = opts.signed ? '[+-]?' : '\\+?';
	if (unit === 'minutes') {
		if (!new RegExp(`^${sign}\\d{1,7}$`).test(s)) return undefined;
		return Number(s);
	}
	const m = new RegExp(`^(${sign})(\\d{1,7})(?:[.,](\\d{1,2}))?$`).exec(s);
	if (!m) return undefined;
	const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0') || '0');
	return m[1] === '-' ? -cents : cents;
}

/** Minutes as whole hours and the remaining minutes (for "12 h 30 min"); negative values keep their sign on the hours. */
export function splitMinutes(minutes: number): { h: number; m: number } {
	const abs = Math.abs(minutes);
	const h = Math.floor(abs / 60);
	return { h: minutes < 0 ? -h : h, m: abs % 60 };
}
