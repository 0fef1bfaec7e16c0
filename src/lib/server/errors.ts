/**
 * The one error type of Lieu. Codes form a closed list; each maps, here and only here, to an HTTP
 * status. The translated message comes from the i18n catalogue key `error.<code>`.
 */
export const ERROR_STATUS = {
	invalid_input: 400,
	weak_password: 400,
	invalid_token: 400,
	unauthenticated: 401,
	invalid_credentials: 401,
	forbidden: 403,
	email_not_verified: 403,
	not_found: 404,
	method_not_allowed: 405,
	conflict: 409,
	email_taken: 409,
	slug_taken: 409,
	already_member: 409,
	setup_done: 409,
	last_admin: 409,
	slot_taken: 409,
	not_qualified: 409,
	capacity_reached: 409,
	closed: 409,
	out_of_service: 409,
	data_dir_locked: 409,
	payload_too_large: 413,
	unsupported_media_type: 415,
	rate_limited: 429,
	internal: 500
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export interface AppErrorOptions {
	/** Per-field problems: field name -> i18n key (or code) for that field. */
	fields?: Record<string, string>;
	/** Technical detail for logs and the CLI (not shown to end users as-is). */
	detail?: string;
	cause?: unknown;
}

export class AppError extends Error {
	readonly code: ErrorCode;
	readonly fields?: Record<string, string>;
	readonly detail?: string;
	constructor(code: ErrorCode, opts: AppErrorOptions = {}) {
		super(opts.detail ?? code, { cause: opts.cause });
		this.name = 'AppError';
		this.code = code;
		this.fields = opts.fields;
		this.detail = opts.detail;
	}
	get status(): number {
		return ERROR_STATUS[this.code];
	}
}

export function isAppError(e: unknown): e is AppError {
	return e instanceof AppError;
}

/** Database error codes worth translating (read through drizzle's wrapper: error.cause.code). */
export function pgErrorCode(e: unknown): string | undefined {
	let cur: unknown = e;
	for (let i = 0; i < 4 && cur; i++) {
		const code = (cur as { code?: unknown }).code;
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
		cur = (cur as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Constraint name of a database error, if any. */
export function pgConstraint(e: unknown): string | undefined {
	let cur: unknown = e;
	for (let i = 0; i < 4 && cur; i++) {
		const c = (cur as { constraint?: unknown }).constraint;
		if (typeof c === 'string') return c;
		cur = (cur as { cause?: unknown }).cause;
	}
	return undefined;
}

/** The error code of an HTTP status SvelteKit itself answers (404 unknown route, 405, 413, 415, 400 bad URL…). */
export function codeForStatus(status: number): ErrorCode {
	if (status >= 500) return 'internal';
	const found = (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>).find(([, s]) => s === status);
	return found ? found[0] : 'invalid_input';
}

/** Turns any thrown value into an AppError (unknown errors become `internal`). */
export function toAppError(e: unknown): AppError {
	if (isAppError(e)) return e;
	const code = pgErrorCode(e);
	if (code === '23P01' || code === '40P01') return new AppError('slot_taken', { cause: e });
	if (code === '23505') return new AppError('conflict', { cause: e, detail: pgConstraint(e) });
	// why: 22021/22P05 are text PostgreSQL cannot hold (a NUL byte in a URL or JSON string): bad input, not a crash.
	if (code === '22P02' || code === '22007' || code === '22008' || code === '23514' || code === '22003' || code === '22021' || code === '22P05')
		return new AppError('invalid_input', { cause: e });
	return new AppError('internal', { cause: e, detail: e instanceof Error ? e.message : String(e) });
}
