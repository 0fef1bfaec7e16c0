import { describe, expect, it } from 'vitest';
import { slugify, placeInput, RESERVED_SLUGS, isValidTimezone } from '../../src/lib/modules/places/rules';
import { safeRedirect } from '../../src/lib/server/http/redirect';
import { isStrongPassword } from '../../src/lib/server/auth/password';
import { match as slugParam } from '../../src/params/slug';
import { parseInput } from '../../src/lib/server/validation';
import { AppError, toAppError } from '../../src/lib/server/errors';

describe('place rules', () => {
	it('slugifies French names', () => {
		expect(slugify('La Tréso')).toBe('la-treso');
		expect(slugify('  Café & Fablab de l’Île ')).toBe('cafe-fablab-de-l-ile');
	});
	it('refuses reserved or malformed slugs, in the URL matcher too', () => {
		for (const s of ['admin', 'api', 'login', 'setup', 'profile']) {
			expect(RESERVED_SLUGS.has(s)).toBe(true);
			expect(slugParam(s)).toBe(false);
		}
		expect(slugParam('la-treso')).toBe(true);
		expect(slugParam('-x')).toBe(false);
		expect(slugParam('La-Treso')).toBe(false);
	});
	it('validates place input with i18n field keys, compacting SIRET and VAT', () => {
		const ok = parseInput(placeInput, { name: 'La Tréso', slug: 'la-treso', siret: '123 456 789 00012', vatNumber: 'fr 12 345678901' });
		expect(ok.siret).toBe('12345678900012');
		expect(ok.vatNumber).toBe('FR12345678901');
		expect(ok.timezone).toBe('Europe/Paris');
		try {
			parseInput(placeInput, { name: 'x', slug: 'api', siret: '123', timezone: 'Nowhere/Land' });
			expect.unreachable();
		} catch (e) {
			expect((e as AppError).fields).toMatchObject({ name: 'field.too_short', slug: 'field.slug', siret: 'field.siret', timezone: 'field.timezone' });
		}
		expect(isValidTimezone('Indian/Reunion')).toBe(true);
	});
});

describe('safe redirects', () => {
	it('keeps same-site paths only', () => {
		expect(safeRedirect('/profile')).toBe('/profile');
		expect(safeRedirect('//evil.example')).toBe('/');
		expect(safeRedirect('https://evil.example')).toBe('/');
		expect(safeRedirect('/\\evil')).toBe('/');
		expect(safeRedirect(null)).toBe('/');
	});
});

describe('password policy', () => {
	it('wants 10+ characters and refuses common passwords', () => {
		expect(isStrongPassword('short1!')).toBe(false);
		expect(isStrongPassword('password123')).toBe(false);
		expect(isStrongPassword('azertyuiop')).toBe(false);
		expect(isStrongPassword('aaaaaaaaaaaa')).toBe(false);
		expect(isStrongPassword('1234567890')).toBe(false);
		expect(isStrongPassword('la découpeuse chante')).toBe(true);
	});
});

describe('error mapping', () => {
	it('maps database races to slot_taken and bad values to invalid_input', () => {
		expect(toAppError({ code: '23P01' }).code).toBe('slot_taken');
		expect(toAppError({ cause: { code: '40P01' } }).code).toBe('slot_taken');
		expect(toAppError({ code: '22P02' }).code).toBe('invalid_input');
		expect(toAppError(new Error('boom')).code).toBe('internal');
		expect(new AppError('forbidden').status).toBe(403);
	});
});
