// Response schemas of the qualification routes of the JSON API (they also document them in OpenAPI).
import { z } from 'zod';

export const qualificationOutput = z
	.object({
		id: z.string(),
		userId: z.string(),
		resourceId: z.string(),
		grantedAt: z.iso.datetime(),
		expiresAt: z.iso.datetime().nullable().describe('Null: does not expire.'),
		grantedBy: z.string().nullable(),
		sessionId: z.string().nullable().describe('The training session it came from, if any.'),
		revokedAt: z.iso.datetime().nullable(),
		revokeReason: z.string().nullable(),
		status: z.enum(['valid', 'expired', 'revoked']),
		renewed: z.boolean().optional().describe('POST only: true when a live qualification was renewed rather than created.')
	})
	.meta({ id: 'Qualification' });

export const qualificationsQuery = z.strictObject({
	userId: z.string('field.invalid').trim().min(1, 'field.invalid').max(64, 'field.invalid').optional(),
	all: z.enum(['true', 'false'], 'field.invalid').optional().transform((v) => v === 'true').describe('Include revoked qualifications.')
});

export const qualificationsOutput = z.object({ qualifications: z.array(qualificationOutput.extend({ userName: z.string(), resourceName: z.string() })) });
