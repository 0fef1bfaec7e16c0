import { fail, type ActionFailure } from '@sveltejs/kit';
import { AppError, toAppError } from '../errors';
import { translate, type Locale } from '../../i18n';
import { log } from '../log';

export interface FormError {
	code: string;
	message: string;
	fields: Record<string, string>;
}

export type FormFailure = ActionFailure<{ error: FormError; values: Record<string, string | string[]> }>;

const SECRET_FIELDS = /password|token|secret/i;

/** The submitted values to send back so the form keeps what the person typed (never passwords). */
export function keepValues(fd: FormData): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(fd.keys())) {
		if (SECRET_FIELDS.test(key)) continue;
		const all = fd.getAll(key).filter((v): v is string => typeof v === 'string');
		out[key] = all.length > 1 || key.endsWith('[]') ? all : (all[0] ?? '');
	}
	return out;
}

/** FormData to a plain object (repeated keys and keys ending with [] become arrays). */
export function formObject(fd: FormData): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of new Set(fd.keys())) {
		const all = fd.getAll(key).filter((v): v is string => typeof v === 'string');
		if (key.endsWith('[]')) out[key.slice(0, -2)] = all;
		else out[key] = all.length > 1 ? all : all[0];
	}
	return out;
}

/** Translates an AppError for a form: a message and per-field messages in the person's language. */
export function formError(e: AppError, locale: Locale): FormError {
	const fields: Record<string, string> = {};
	for (const [k, v] of Object.entries(e.fields ?? {})) fields[k] = translate(locale, v);
	return { code: e.code, message: translate(locale, `error.${e.code}`), fields };
}

/**
 * Runs a form action body; any error becomes a translated `fail()` that keeps the typed values.
 * Redirects thrown by SvelteKit pass through.
 */
export async function runForm<T>(
	event: { request: Request; locals: App.Locals },
	body: (fd: FormData) => Promise<T>
): Promise<T | FormFailure> {
	let fd: FormData;
	try {
		fd = await event.request.formData();
	} catch {
		return fail(400, { error: formError(new AppError('invalid_input'), event.locals.locale), values: {} }) as FormFailure;
	}
	try {
		// why: PostgreSQL text cannot hold a NUL byte; name the field here rather than fail deep in a query.
		const nul = [...fd.entries()].filter(([, v]) => typeof v === 'string' && v.includes('\u0000')).map(([k]) => k);
		if (nul.length) throw new AppError('invalid_input', { fields: Object.fromEntries(nul.map((k) => [k.replace(/\[\]$/, ''), 'field.invalid'])) });
		return await body(fd);
	} catch (e) {
		if (isRedirectOrHttp(e)) throw e;
		const err = toAppError(e);
		if (err.code === 'internal') log().error({ err: e }, 'form action failed');
		return fail(err.status >= 500 ? 500 : err.status, { error: formError(err, event.locals.locale), values: keepValues(fd) }) as FormFailure;
	}
}

function isRedirectOrHttp(e: unknown): boolean {
	return typeof e === 'object' && e !== null && 'status' in e && ('location' in e || 'body' in e) && !(e instanceof Error);
}
