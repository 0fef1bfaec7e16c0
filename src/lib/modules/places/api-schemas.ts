// Zod schemas of the JSON API's inputs and outputs for places, members and the current person. The
// /api/v1 routes validate with them and the OpenAPI document is generated from them: one source of truth.
// Output schemas describe what goes on the wire (dates as ISO 8601 strings); an object schema strips any
// field it does not name, so a field added to a query never leaks through the API by accident.
import { z } from 'zod';
import { ERROR_CODES } from '../../server/errors';

/** The body of every API error. */
export const apiErrorSchema = z
	.object({
		error: z.object({
			code: z.enum(ERROR_CODES).describe('Stable machine-readable code (closed list).'),
			message: z.string().describe('Human-readable message, in the language asked by Accept-Language (French by default).'),
			fields: z
				.record(z.string(), z.string())
				.optional()
				.describe('Per-field problems: field name (dotted path for nested fields, `_` for the whole body) -> translated message.')
		})
	})
	.meta({ id: 'Error' });

const isoDateTime = z.iso.datetime({ offset: true });

/** GET /me */
export const meOutput = z
	.object({
		id: z.string(),
		name: z.string(),
		email: z.string(),
		locale: z.string(),
		emailVerified: z.boolean(),
		places: z.array(z.object({ slug: z.string(), name: z.string(), role: z.string().describe('Role key in that place (member, resident, staff, admin or a custom role).') }))
	})
	.meta({ id: 'Me' });

const timeRange = z.object({ from: z.string().describe('HH:MM'), to: z.string().describe('HH:MM') });

/** GET /places/{slug}: public info, plus role/permissions for members, plus legal ids for place.settings. */
export const placeOutput = z
	.object({
		id: z.string(),
		slug: z.string(),
		name: z.string(),
		address: z.string(),
		timezone: z.string().describe('IANA time zone, e.g. Europe/Paris.'),
		languages: z.array(z.string()),
		enabledModules: z.array(z.string()),
		openingHours: z.record(z.string(), z.array(timeRange)).describe('The usual week: day key (mon…sun) -> opening ranges (HH:MM, 24:00 = midnight) in the place time zone, from the place opening rules; closed days are left out. Exceptional closures are on the hours page.'),
		legalForm: z.string(),
		description: z.string(),
		logoUrl: z.string().nullable(),
		role: z.string().optional().describe('Only for members: the caller role key.'),
		permissions: z.array(z.string()).optional().describe('Only for members: the caller permissions in this place.'),
		siret: z.string().nullable().optional().describe('Only with the place.settings permission.'),
		vatNumber: z.string().nullable().optional().describe('Only with the place.settings permission.')
	})
	.meta({ id: 'Place' });

/** One member of a place, as the admin people list shows it. */
export const memberOutput = z
	.object({
		id: z.string().describe('User id.'),
		name: z.string(),
		email: z.string(),
		role: z.string().describe('Role key in this place.'),
		since: isoDateTime.describe('When the person joined the place.')
	})
	.meta({ id: 'Member' });

/** GET /places/{slug}/members query. */
export const membersQuery = z.strictObject({
	q: z.string().max(200, 'field.too_long').optional().describe('Matches name or e-mail, case-insensitive.'),
	page: z.coerce.number({ error: 'field.invalid' }).int('field.invalid').min(1, 'field.invalid').max(100_000, 'field.invalid').optional().describe('1-based page number (50 per page).')
});

/** GET /places/{slug}/members */
export const membersOutput = z
	.object({
		members: z.array(memberOutput),
		total: z.number().int(),
		page: z.number().int(),
		pageCount: z.number().int()
	})
	.meta({ id: 'MemberList' });

/** PATCH /places/{slug}/members/{userId} */
export const memberPatchInput = z.strictObject({
	role: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(40, 'field.invalid').describe('Role key to give (member, resident, staff, admin or a custom role).')
});
