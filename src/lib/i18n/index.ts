import { areas } from './messages/index';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';

type Catalogue = Record<string, string>;
const catalogues: Record<Locale, Catalogue> = { fr: {}, en: {} };
for (const area of areas) {
	Object.assign(catalogues.fr, area.fr);
	Object.assign(catalogues.en, area.en);
}

/** All message keys (union of every area's French keys). */
export type MessageKey = keyof (typeof areas)[number]['fr'] & string;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey | (string & {}), params?: Params) => string;

export function isLocale(v: unknown): v is Locale {
	return v === 'fr' || v === 'en';
}

/** Translates a key; a missing key shows the key itself (tests check none is missing). */
export function translate(locale: Locale, key: string, params?: Params): string {
	const msg = catalogues[locale][key] ?? catalogues.fr[key] ?? key;
	if (!params) return msg;
	return msg.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function translator(locale: Locale): Translate {
	return (key, params) => translate(locale, key, params);
}

export function hasMessage(key: string): boolean {
	return key in catalogues.fr;
}

/** Raw catalogues (for the completeness test). */
export function catalogue(locale: Locale): Readonly<Catalogue> {
	return catalogues[locale];
}

/** Picks fr or en from an Accept-Language header (quality order), French by default. */
export function negotiateLocale(header: string | null | undefined): Locale {
	if (!header) return DEFAULT_LOCALE;
	const prefs = header
		.split(',')
		.map((part) => {
			const [tag, ...rest] = part.trim().split(';');
			const q = rest.find((r) => r.trim().startsWith('q='));
			return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
		})
		.sort((a, b) => b.q - a.q);
	for (const p of prefs) {
		const base = p.tag.split('-')[0];
		if (isLocale(base)) return base;
	}
	return DEFAULT_LOCALE;
}

const BCP47: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Formats a date-time in the place's time zone. */
export function formatDateTime(d: Date | string, locale: Locale, timeZone: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
	return dateFormatter(locale, timeZone, opts).format(typeof d === 'string' ? new Date(d) : d);
}

// why: building an Intl.DateTimeFormat costs far more than using one; pages and mails format many dates.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: Locale, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}|${timeZone}|${JSON.stringify(opts)}`;
	let f = dateFormatters.get(key);
	if (!f) {
		if (dateFormatters.size > 500) dateFormatters.clear();
		f = new Intl.DateTimeFormat(BCP47[locale], { ...opts, timeZone });
		dateFormatters.set(key, f);
	}
	return f;
}

export function formatDate(d: Date | string, locale: Locale, timeZone: string): string {
	return formatDateTime(d, locale, timeZone, { dateStyle: 'long' });
}

/** Formats integer cents as euros. */
export function formatMoney(cents: number, locale: Locale, currency = 'EUR'): string {
	return new Intl.NumberFormat(BCP47[locale], { style: 'currency', currency }).format(cents / 100);
}
