import type { RequestEvent } from '@sveltejs/kit';
import { APIError } from 'better-auth/api';
import { CLIENT_IP_HEADER } from '../auth';
import { AppError } from '../errors';

/** Request headers for server-side better-auth calls, carrying the real client IP for the rate limiter. */
export function authHeaders(event: Pick<RequestEvent, 'request' | 'getClientAddress'>): Headers {
	const h = new Headers(event.request.headers);
	let ip = 'unknown';
	try {
		ip = event.getClientAddress();
	} catch {
		/* no address (tests) */
	}
	h.set(CLIENT_IP_HEADER, ip);
	return h;
}

/** Maps a better-auth APIError to our AppError codes. */
export function fromAuthError(e: unknown, field = 'email'): AppError {
	if (e instanceof APIError) {
		const code = String((e.body as { code?: string } | undefined)?.code ?? '');
		const msg = String((e.body as { message?: string } | undefined)?.message ?? e.message);
		if (code === 'RATE_LIMITED' || e.statusCode === 429) return new AppError('rate_limited');
		if (code === 'WEAK_PASSWORD' || /PASSWORD_TOO_(SHORT|LONG)/.test(code)) return new AppError('weak_password', { fields: { password: 'error.weak_password' } });
		if (/USER_ALREADY_EXISTS/.test(code)) return new AppError('email_taken', { fields: { [field]: 'error.email_taken' } });
		if (/INVALID_EMAIL_OR_PASSWORD|INVALID_PASSWORD|CREDENTIAL_ACCOUNT_NOT_FOUND/.test(code)) return new AppError('invalid_credentials');
		if (/EMAIL_NOT_VERIFIED/.test(code)) return new AppError('email_not_verified');
		if (/INVALID_EMAIL/.test(code)) return new AppError('invalid_input', { fields: { [field]: 'field.email' } });
		if (/INVALID_TOKEN|TOKEN_EXPIRED/.test(code)) return new AppError('invalid_token');
		if (e.statusCode === 401) return new AppError('invalid_credentials');
		if (e.statusCode === 400) return new AppError('invalid_input', { detail: `${code} ${msg}` });
		if (e.statusCode === 403) return new AppError('forbidden', { detail: msg });
	}
	return e instanceof AppError ? e : new AppError('internal', { cause: e, detail: e instanceof Error ? e.message : String(e) });
}
