import { describe, expect, it } from 'vitest';
import { catalogue, negotiateLocale, translate, formatMoney, formatDateTime } from '../../src/lib/i18n';
import { ERROR_CODES } from '../../src/lib/server/errors';
import { PERMISSIONS } from '../../src/lib/modules/places/policy';

describe('message catalogues', () => {
	it('have the same keys in French and English, none empty', () => {
		const fr = catalogue('fr');
		const en = catalogue('en');
		expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
		for (const [k, v] of Object.entries(fr)) expect(v.trim(), `fr ${k}`).not.toBe('');
		for (const [k, v] of Object.entries(en)) expect(v.trim(), `en ${k}`).not.toBe('');
	});

	it('translate every error code in both languages', () => {
		for (const code of ERROR_CODES) {
			expect(catalogue('fr')[`error.${code}`], code).toBeTruthy();
			expect(catalogue('en')[`error.${code}`], code).toBeTruthy();
		}
	});

	it('use the same placeholders in both languages', () => {
		const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const [k, v] of Object.entries(catalogue('fr'))) expect(ph(catalogue('en')[k]), k).toEqual(ph(v));
	});

	it('interpolate parameters', () => {
		expect(translate('fr', 'mail.invite.subject', { place: 'La Tréso' })).toBe('Invitation à rejoindre La Tréso');
		expect(translate('en', 'mail.invite.subject', { place: 'La Tréso' })).toBe('Invitation to join La Tréso');
	});

	it('know every permission name', () => {
		expect(PERMISSIONS.length).toBeGreaterThan(5);
	});
});

describe('language negotiation', () => {
	it('prefers the highest quality supported language and defaults to French', () => {
		expect(negotiateLocale('en-US,en;q=0.9,fr;q=0.8')).toBe('en');
		expect(negotiateLocale('de-DE,fr;q=0.5,en;q=0.4')).toBe('fr');
		expect(negotiateLocale('de, it')).toBe('fr');
		expect(negotiateLocale('')).toBe('fr');
		expect(negotiateLocale('fr;q=0.1, en;q=0.9')).toBe('en');
	});
});

describe('formatting in the place time zone', () => {
	it('formats cents as euros without floating drift', () => {
		expect(formatMoney(1050, 'fr').replace(/\s/g, ' ')).toBe('10,50 €');
		expect(formatMoney(1050, 'en')).toBe('€10.50');
	});
	it('shows Paris wall-clock time whatever the server time zone', () => {
		// 2026-03-29 is the spring DST change in Paris: 10:00 UTC = 12:00 CEST.
		expect(formatDateTime('2026-03-29T10:00:00Z', 'fr', 'Europe/Paris', { hour: '2-digit', minute: '2-digit' })).toBe('12:00');
		expect(formatDateTime('2026-03-28T10:00:00Z', 'fr', 'Europe/Paris', { hour: '2-digit', minute: '2-digit' })).toBe('11:00');
	});
});
