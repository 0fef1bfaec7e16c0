import type { z } from 'zod';
import { AppError } from './errors';
import { hasMessage } from '../i18n';

/**
 * Parses input with a zod schema; on failure throws invalid_input with per-field i18n keys
 * (the schema's messages are i18n keys such as 'field.email'; zod's own defaults become 'field.invalid').
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
	const r = schema.safeParse(raw);
	if (r.success) return r.data;
	const fields: Record<string, string> = {};
	for (const issue of r.error.issues) {
		const key = issue.path.length ? issue.path.join('.') : '_';
		if (fields[key]) continue;
		const msg = issue.message;
		// why: any key of the catalogues names the problem (resources.bad_slug…); zod's own English defaults never are keys.
		fields[key] = /^(field|error)\.[a-z_.]+$/.test(msg) || hasMessage(msg) ? msg : issue.code === 'invalid_type' && issue.input === undefined ? 'field.required' : 'field.invalid';
	}
	throw new AppError('invalid_input', { fields });
}
