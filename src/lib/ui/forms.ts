/** Shape of what a failed form action returns (see server/http/forms.ts). */
export interface FormState {
	error?: { code: string; message: string; fields: Record<string, string> };
	values?: Record<string, string | string[]>;
	success?: boolean;
	message?: string;
}

/** The value to show in a field: what the person typed (after a failed submit), else the saved value. */
export function val(form: FormState | null | undefined, name: string, fallback: string | null | undefined = ''): string {
	const v = form?.values?.[name];
	if (typeof v === 'string') return v;
	return fallback ?? '';
}

/** The translated error of one field, if any. */
export function err(form: FormState | null | undefined, name: string): string | undefined {
	return form?.error?.fields?.[name];
}
