// Pure invoice rules: line amounts, VAT per rate, numbering, due dates, inputs and the mandatory mentions.
import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n';
import { AppError } from '../../server/errors';
import { parseInput } from '../../server/validation';
import {
	buildInvoiceLine,
	dueDateOf,
	invoiceInput,
	invoiceMentions,
	invoiceReference,
	invoiceSettingsInput,
	invoiceTotals,
	isValidIban,
	remainingQuantities,
	sellerIdentity,
	splitAddress
} from './invoice-rules';
import type { InvoiceSeller } from './invoice-schema';

const seller: InvoiceSeller = {
	name: 'La Tréso',
	address: '6 rue Gambetta, 92240 Malakoff',
	legalForm: 'scic',
	siret: '98765432100015',
	vatNumber: 'FR45987654321',
	vatRegime: 'normal',
	vatOnDebits: false,
	shareCapitalCents: 1_250_000,
	variableCapital: true,
	registration: 'RCS Nanterre 987 654 321',
	iban: '',
	bic: '',
	latePenaltyRateBp: 1000,
	footer: ''
};
const business = { kind: 'business' as const, name: 'Atelier Bois', address: '12 av. Larousse', postcode: '92240', city: 'Malakoff', country: 'FR', siret: '123456789', vatNumber: '', email: '' };

describe('invoice lines and totals', () => {
	it('rounds quantity × unit price half away from zero and computes VAT once per rate', () => {
		const l1 = buildInvoiceLine({ label: 'Laser', quantityMilli: 1500, unitPriceCents: 3333, vat: '2000' });
		expect(l1.htCents).toBe(5000); // 4999.5 → 5000
		const l2 = buildInvoiceLine({ label: 'Café', quantityMilli: 3000, unitPriceCents: 105, vat: '1000' });
		const l3 = buildInvoiceLine({ label: 'Salle', quantityMilli: 1000, unitPriceCents: 1, vat: '2000' });
		const l4 = buildInvoiceLine({ label: 'Formation', quantityMilli: 1000, unitPriceCents: 30000, vat: 'exempt_training' });
		const t = invoiceTotals([l4, l1, l2, l3]);
		expect(t.totals).toEqual([
			{ vat: '2000', rateBp: 2000, htCents: 5001, vatCents: 1000, ttcCents: 6001 }, // 1000.2 → 1000
			{ vat: '1000', rateBp: 1000, htCents: 315, vatCents: 32, ttcCents: 347 }, // 31.5 → 32
			{ vat: 'exempt_training', rateBp: 0, htCents: 30000, vatCents: 0, ttcCents: 30000 }
		]);
		expect(t.htCents).toBe(5001 + 315 + 30000);
		expect(t.vatCents).toBe(1032);
		expect(t.ttcCents).toBe(t.htCents + t.vatCents);
	});

	it('numbers documents with the year of issue and a continuous six-digit number', () => {
		expect(invoiceReference('invoice', '2026-03-10', 42)).toBe('F-2026-000042');
		expect(invoiceReference('credit_note', '2027-01-01', 1_234_567)).toBe('AV-2027-1234567');
	});

	it('due date: issue date + terms, or a chosen date within 60 days', () => {
		expect(dueDateOf('2026-01-31', 30)).toBe('2026-03-02');
		expect(dueDateOf('2026-03-10', 30, '2026-03-10')).toBe('2026-03-10');
		expect(dueDateOf('2026-03-10', 30, '2026-05-09')).toBe('2026-05-09');
		expect(dueDateOf('2026-03-10', 30, '2026-05-10')).toBeUndefined();
		expect(dueDateOf('2026-03-10', 30, '2026-03-09')).toBeUndefined();
	});

	it('what remains creditable per line after earlier credit notes', () => {
		const lines = [buildInvoiceLine({ label: 'a', quantityMilli: 3000, unitPriceCents: 100, vat: '2000' }), buildInvoiceLine({ label: 'b', quantityMilli: 1000, unitPriceCents: 100, vat: '2000' })];
		const cn = [{ lines: [buildInvoiceLine({ label: 'a', quantityMilli: 1500, unitPriceCents: 100, vat: '2000', sourceLine: 0 })] }];
		expect(remainingQuantities(lines, cn)).toEqual([1500, 1000]);
	});
});

describe('invoice inputs', () => {
	const fields = (raw: unknown) => {
		try {
			parseInput(invoiceInput, raw);
			return {};
		} catch (e) {
			expect(e).toBeInstanceOf(AppError);
			return (e as AppError).fields;
		}
	};

	it('refuses an empty customer, a negative price, a quantity that is not a number, no lines', () => {
		expect(fields({ customer: { ...business, name: '  ' }, lines: [{ label: 'x', quantity: 1, unitPriceCents: -1 }] })).toEqual({
			'customer.name': 'field.required',
			'lines.0.unitPriceCents': 'field.invoice.price'
		});
		expect(fields({ customer: business, lines: [{ label: 'x', quantity: 'abc', unitPriceCents: 100 }] })).toEqual({ 'lines.0.quantity': 'field.invoice.quantity' });
		expect(fields({ customer: business, lines: [{ label: 'x', quantity: 1.0005, unitPriceCents: 100 }] })).toEqual({ 'lines.0.quantity': 'field.invoice.quantity' });
		expect(fields({ customer: business, lines: [] })).toEqual({ lines: 'field.invoice.no_lines' });
	});

	it('a business needs an address and a city; SIREN/SIRET and VAT numbers are checked and compacted', () => {
		expect(fields({ customer: { ...business, address: '', city: '' }, lines: [{ label: 'x', quantity: 1, unitPriceCents: 1 }] })).toEqual({ 'customer.address': 'field.required', 'customer.city': 'field.required' });
		expect(fields({ customer: { ...business, siret: '1234' }, lines: [{ label: 'x', quantity: 1, unitPriceCents: 1 }] })).toEqual({ 'customer.siret': 'field.invoice.siren' });
		const ok = parseInput(invoiceInput, { customer: { ...business, siret: '123 456 789 00012', vatNumber: 'fr 12 123456789' }, lines: [{ label: 'x', quantity: 2, unitPriceCents: 1 }] });
		expect(ok.customer.siret).toBe('12345678900012');
		expect(ok.customer.vatNumber).toBe('FR12123456789');
		expect(ok.lines[0].vat).toBe('2000');
		expect(fields({ customer: { kind: 'individual', name: 'Léa' }, lines: [{ label: 'x', quantity: 1, unitPriceCents: 1 }] })).toEqual({});
	});

	it('settings: IBAN checksum, terms within 60 days', () => {
		expect(isValidIban('FR7630006000011234567890189')).toBe(true);
		expect(isValidIban('FR7630006000011234567890188')).toBe(false);
		expect(() => parseInput(invoiceSettingsInput, { vatRegime: 'normal', paymentTermsDays: 61, latePenaltyRateBp: 1000 })).toThrow(AppError);
		expect(parseInput(invoiceSettingsInput, { vatRegime: 'franchise', paymentTermsDays: 0, latePenaltyRateBp: 1215, iban: 'fr76 3000 6000 0112 3456 7890 189' }).iban).toBe('FR7630006000011234567890189');
	});
});

describe('mandatory mentions', () => {
	const fmt = { date: (iso: string) => iso, rate: (bp: number) => `${bp / 100} %` };
	const lines = [buildInvoiceLine({ label: 'Formation', quantityMilli: 1000, unitPriceCents: 100, vat: 'exempt_training' })];

	it('business invoice: due date, no discount, penalty rate, 40 EUR recovery fee, exemption reference', () => {
		const m = invoiceMentions({ kind: 'invoice', seller, customer: business, lines, dueDate: '2026-04-09', supplyDate: null, issueDate: '2026-03-10' }, translator('fr'), fmt);
		expect(m).toEqual([
			'Exonération de TVA, art. 261-4-4° a du CGI.',
			'Date d’échéance du paiement : 2026-04-09.',
			'Pas d’escompte pour paiement anticipé.',
			'En cas de retard de paiement, pénalités au taux annuel de 10 % (art. L441-10 du Code de commerce).',
			'Indemnité forfaitaire pour frais de recouvrement due au créancier en cas de retard de paiement : 40 € (art. D441-5 du Code de commerce).'
		]);
	});

	it('individual: no recovery fee; franchise wording; credit note names its invoice (English)', () => {
		const fr = invoiceMentions({ kind: 'invoice', seller: { ...seller, vatRegime: 'franchise' }, customer: { ...business, kind: 'individual' }, lines: [{ ...lines[0], vat: 'franchise' }], dueDate: '2026-04-09', supplyDate: null, issueDate: '2026-03-10' }, translator('fr'), fmt);
		expect(fr).toContain('TVA non applicable, art. 293 B du CGI.');
		expect(fr.join(' ')).not.toContain('40 €');
		const en = invoiceMentions({ kind: 'credit_note', seller, customer: business, lines: [], dueDate: '2026-03-10', supplyDate: null, issueDate: '2026-03-10', credited: { reference: 'F-2026-000001', issueDate: '2026-03-01' } }, translator('en'), fmt);
		expect(en).toEqual(['Credit note for invoice F-2026-000001 of 2026-03-01.']);
	});

	it('seller identity: legal form, variable capital, share capital, registration, SIRET, VAT number, office', () => {
		const lines = sellerIdentity(seller, translator('fr'), (c) => `${c / 100} €`);
		expect(lines[0]).toBe('La Tréso, Société coopérative d’intérêt collectif (SCIC) à capital variable, au capital de 12500 €');
		expect(lines[1]).toBe('RCS Nanterre 987 654 321 · SIRET 98765432100015 · TVA intracommunautaire FR45987654321');
		expect(lines[2]).toBe('Siège : 6 rue Gambetta, 92240 Malakoff');
	});

	it('splits a French one-line address for the structured XML', () => {
		expect(splitAddress('6 rue Gambetta, 92240 Malakoff')).toEqual({ line: '6 rue Gambetta', postcode: '92240', city: 'Malakoff' });
		expect(splitAddress('Somewhere')).toEqual({ line: 'Somewhere', postcode: '', city: '' });
	});
});
