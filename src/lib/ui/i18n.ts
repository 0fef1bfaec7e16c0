import { getContext, setContext } from 'svelte';
import { translate, type Locale, type Params, type MessageKey } from '../i18n';

const KEY = Symbol('i18n');

/** Set once in the root layout: components then call useT() to translate in the viewer's language. */
export function provideLocale(get: () => Locale) {
	setContext(KEY, get);
}

/** The translation function for the current page's language. */
export function useT(): (key: MessageKey | (string & {}), params?: Params) => string {
	const get = getContext<(() => Locale) | undefined>(KEY) ?? (() => 'fr' as Locale);
	return (key, params) => translate(get(), key, params);
}

export function useLocale(): () => Locale {
	return getContext<(() => Locale) | undefined>(KEY) ?? (() => 'fr' as Locale);
}
