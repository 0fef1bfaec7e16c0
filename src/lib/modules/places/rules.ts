import { z } from 'zod';

/** Slugs that would collide with top-level pages of the app (routing: see docs/decisions/003). */
export const RESERVED_SLUGS = new Set([
	'admin', 'api', 'auth', 'login', 'logout', 'signup', 'setup', 'profile', 'healthz', 'invite', 'places',
	'forgot-password', 'reset-password', 'magic-link', 'verify-email', 'static', 'assets', 'favicon.svg',
	'_app', 'robots.txt', 'lang', 'docs', 'help', 'new', 'www',
	// why: pages of a place, reached without the slug on a one-place instance (/caisse, /agenda…).
	'caisse', 'commande', 'porte-monnaie', 'agenda', 'machines', 'residents', 'partenaires', 'accessibilite', 'reservations',
	'formations', 'habilitations', 'horaires'
]);

export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export function isValidTimezone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/** Turns a place name into a slug proposal ("La Tréso" -> "la-treso"). */
export function slugify(name: string): string {
	return name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 48);
}

export const LEGAL_FORMS = ['association', 'scic', 'scop', 'sas', 'sarl', 'ei', 'public', 'other'] as const;

// why: people type SIRET and VAT numbers with spaces ("123 456 789 00012"); store them compact.
const compact = z
	.string()
	.optional()
	.transform((v) => {
		const c = (v ?? '').replace(/[\s.]+/g, '');
		return c === '' ? undefined : c;
	});

/** Input of "create a place" (setup page, CLI, API). Field errors carry i18n keys. */
export const placeInput = z.object({
	name: z.string().trim().min(2, 'field.too_short').max(120, 'field.too_long'),
	slug: z
		.string()
		.trim()
		.toLowerCase()
		.min(2, 'field.slug')
		.max(48, 'field.slug')
		.regex(SLUG_RE, 'field.slug')
		.refine((s) => !RESERVED_SLUGS.has(s), 'field.slug'),
	address: z.string().trim().max(300, 'field.too_long').default(''),
	timezone: z.string().trim().default('Europe/Paris').refine(isValidTimezone, 'field.timezone'),
	legalForm: z.enum(LEGAL_FORMS, { error: 'field.invalid' }).default('association'),
	siret: compact.pipe(z.string().regex(/^\d{14}$/, 'field.siret').optional()),
	vatNumber: compact.pipe(z.string().toUpperCase().regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, 'field.vat').optional())
});
export type PlaceInput = z.infer<typeof placeInput>;

export const MODULES = ['cafe', 'machines', 'workshop', 'events', 'cooperative', 'partners', 'impact'] as const;

/** Time zones offered in forms: metropolitan and overseas France first, then neighbours (any IANA zone is accepted by the API and CLI). */
export const TIMEZONES = [
	'Europe/Paris', 'America/Guadeloupe', 'America/Martinique', 'America/Cayenne', 'Indian/Reunion', 'Indian/Mayotte',
	'America/Miquelon', 'Pacific/Noumea', 'Pacific/Tahiti', 'Pacific/Wallis', 'Europe/Brussels', 'Europe/Luxembourg',
	'Europe/Zurich', 'Europe/Berlin', 'Europe/Madrid', 'Europe/Rome', 'Europe/Lisbon', 'Europe/London', 'America/Toronto',
	'Africa/Dakar', 'Africa/Abidjan', 'Africa/Casablanca', 'UTC'
];
