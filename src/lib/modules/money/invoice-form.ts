// The no-JS invoice forms: typed text ("12,50", "1,5") to the inputs of invoice-rules, with field names
// equal to the input paths ("customer.name", "lines.2.quantity") so errors land on the right field.
import type { InvoiceInput, InvoiceSettingsInput } from './invoice-rules';

/** Empty line rows a new-invoice form shows at first; "add a line" adds one, up to MAX_FORM_LINES. */
export const FORM_LINES = 3;
export const MAX_FORM_LINES = 50;

const str = (fd: FormData, k: string) => {
	const v = fd.get(k);
	return typeof v === 'string' ? v : '';
};

/** "12,50" / "12.5" / "1 250" → 1250 cents; anything else is returned as typed (the schema refuses it). */
export function eurosToCents(s: string): number | string | undefined {
	const t = s.replace(/[\s\u00a0\u202f€]/g, '');
	if (t === '') return undefined;
	const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(t);
	if (!m) return s;
	return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** "1,5" → 1.5; anything else is returned as typed. */
export function parseQuantity(s: string): number | string | undefined {
	const t = s.replace(/[\s\u00a0\u202f]/g, '');
	if (t === '') return undefined;
	if (!/^\d{1,6}(?:[.,]\d{1,3})?$/.test(t)) return s;
	return Number(t.replace(',', '.'));
}

/** How many line rows the form holds (hidden "lineCount", bounded). */
export function lineCount(fd: FormData): number {
	const n = Number(str(fd, 'lineCount'));
	return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_FORM_LINES) : FORM_LINES;
}

/**
 * The invoice input from the form, and for each line of the input the row it came from (rows left
 * entirely empty are skipped), so that errors on "lines.0" can be moved back to the row's own fields.
 */
export function invoiceFromForm(fd: FormData): { input: InvoiceInput; rows: number[] } {
	const rows: number[] = [];
	const lines: Array<Record<string, unknown>> = [];
	for (let i = 0; i < lineCount(fd); i++) {
		const label = str(fd, `lines.${i}.label`);
		const quantity = str(fd, `lines.${i}.quantity`);
		const price = str(fd, `lines.${i}.unitPriceCents`);
		if (!label.trim() && !quantity.trim() && !price.trim()) continue;
		rows.push(i);
		lines.push({ label, quantity: parseQuantity(quantity) ?? 1, unitPriceCents: eurosToCents(price), vat: str(fd, `lines.${i}.vat`) || undefined });
	}
	const opt = (k: string) => str(fd, k).trim() || undefined;
	const input = {
		customer: {
			kind: str(fd, 'customer.kind'),
			name: str(fd, 'customer.name'),
			address: str(fd, 'customer.address'),
			postcode: str(fd, 'customer.postcode'),
			city: str(fd, 'customer.city'),
			country: str(fd, 'customer.country') || 'FR',
			siret: str(fd, 'customer.siret'),
			vatNumber: str(fd, 'customer.vatNumber'),
			email: str(fd, 'customer.email')
		},
		lines,
		supplyDate: opt('supplyDate'),
		dueDate: opt('dueDate'),
		note: str(fd, 'note')
	} as unknown as InvoiceInput;
	return { input, rows };
}

/** Moves errors on "lines.<k>.…" to the form row the k-th line came from. */
export function remapLineFields(fields: Record<string, string> | undefined, rows: number[]): Record<string, string> | undefined {
	if (!fields) return fields;
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(fields)) {
		const m = /^lines\.(\d+)\.(.*)$/.exec(k);
		out[m && rows[Number(m[1])] !== undefined ? `lines.${rows[Number(m[1])]}.${m[2]}` : k === 'lines' ? 'lines.0.label' : k] = v;
	}
	return out;
}

/** The settings input from the settings form (checkboxes send nothing when unticked). */
export function settingsFromForm(fd: FormData): InvoiceSettingsInput {
	const intOr = (k: string) => {
		const t = str(fd, k).trim();
		return /^\d{1,4}$/.test(t) ? Number(t) : t;
	};
	const rate = str(fd, 'latePenaltyRateBp').trim();
	const capital = str(fd, 'shareCapitalCents');
	return {
		vatRegime: str(fd, 'vatRegime'),
		vatOnDebits: fd.get('vatOnDebits') === 'on',
		shareCapitalCents: capital.trim() === '' ? null : eurosToCents(capital),
		variableCapital: fd.get('variableCapital') === 'on',
		registration: str(fd, 'registration'),
		iban: str(fd, 'iban'),
		bic: str(fd, 'bic'),
		paymentTermsDays: intOr('paymentTermsDays'),
		latePenaltyRateBp: typeof eurosToCents(rate) === 'number' ? eurosToCents(rate) : rate,
		footer: str(fd, 'footer')
	} as unknown as InvoiceSettingsInput;
}
