/** A redirect target from user input: only same-site paths ("/x"), never "//evil" or absolute URLs. */
export function safeRedirect(v: unknown, fallback = '/'): string {
	if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return fallback;
	return v;
}
