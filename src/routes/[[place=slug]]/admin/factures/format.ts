// Formatting shared by the invoice pages (dates stored as YYYY-MM-DD, already in the place's zone).
import type { Locale } from '$lib/i18n';

/** "10 mars 2026" / "10 March 2026" from a YYYY-MM-DD date. */
export function fmtDate(iso: string, locale: Locale): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
}

/** "1,5" / "1.5" from thousandths. */
export function fmtQty(milli: number, locale: Locale): string {
	return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 3 }).format(milli / 1000);
}
