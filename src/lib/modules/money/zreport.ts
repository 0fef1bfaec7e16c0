// Labels of a Z report (closure) shared by its HTML page and its PDF: period, VAT rate, amounts.
// Pure: no I/O, usable in the browser.
import { formatDateTime, formatMoney, translate, type Locale } from '../../i18n';

const BCP47: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** A calendar day (YYYY-MM-DD) in words, e.g. "10 mars 2026". */
export function dayLabel(date: string, locale: Locale, style: 'long' | 'medium' = 'long'): string {
	return formatDateTime(`${date}T12:00:00Z`, locale, 'UTC', { dateStyle: style });
}

/** The period of a closure: a day, "du 2 au 28 février 2026", "mars 2026" or "2026". */
export function periodLabel(c: { kind: string; periodStart: string; periodEnd: string }, locale: Locale, style: 'long' | 'medium' = 'long'): string {
	if (c.kind === 'year') return c.periodStart.slice(0, 4);
	if (c.kind === 'month') return new Intl.DateTimeFormat(BCP47[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${c.periodStart}T12:00:00Z`));
	if (c.periodStart === c.periodEnd) return dayLabel(c.periodEnd, locale, style);
	return translate(locale, 'z.period_value', { from: dayLabel(c.periodStart, locale, style), to: dayLabel(c.periodEnd, locale, style) });
}

/** A VAT rate in basis points as a percentage ("5,5 %"), or "Hors champ". */
export function rateLabel(t: { rateBp: number; outsideScope: boolean }, locale: Locale): string {
	if (t.outsideScope) return translate(locale, 'z.outside_scope');
	return `${new Intl.NumberFormat(BCP47[locale], { maximumFractionDigits: 2 }).format(t.rateBp / 100)} %`;
}

/** Euros for print: narrow no-break spaces become no-break spaces (the PDF's standard fonts lack them). */
export function money(cents: number, locale: Locale): string {
	return formatMoney(cents, locale).replace(/\u202f/g, '\u00a0');
}
