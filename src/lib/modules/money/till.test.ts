import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors';
import { buildLine, totalsPerRate } from './rules';
import { changeDue, formatRate, operatorAlias, parseEuros, parseSaleForm, receiptNumber, receiptText, receiptView, type ReceiptRecord } from './till';
import { receiptPdf, WIDTH_80MM } from './receipt-pdf.server';

describe('parseEuros', () => {
	it('reads euros typed the French or English way into cents', () => {
		expect(parseEuros('12')).toBe(1200);
		expect(parseEuros('12,5')).toBe(1250);
		expect(parseEuros('12.50')).toBe(1250);
		expect(parseEuros(' 1 234,56 € ')).toBe(123456);
		expect(parseEuros('0,05')).toBe(5);
	});
	it('empty is null, nonsense is undefined', () => {
		expect(parseEuros('')).toBeNull();
		expect(parseEuros(undefined)).toBeNull();
		for (const bad of ['-3', '1,234', 'abc', '12,5,0', '1e3', '99999999999']) expect(parseEuros(bad), bad).toBeUndefined();
	});
});

describe('changeDue', () => {
	it('is what was tendered minus the cash due, never negative', () => {
		expect(changeDue(2950, 5000)).toBe(2050);
		expect(changeDue(2950, 2950)).toBe(0);
		expect(changeDue(2950, 2000)).toBeUndefined();
		expect(changeDue(0, 500)).toBe(500);
	});
});

describe('parseSaleForm', () => {
	const ids = ['plat', 'biere', 'cafe'];
	it('keeps the products with a quantity, one consumption context for all, one payment for the total', () => {
		const r = parseSaleForm({ quantities: { plat: '2', biere: '1', cafe: '' }, context: 'takeaway_later', audience: 'member', pay: 'card', till: '2', training: true }, ids);
		expect(r.input).toEqual({
			lines: [
				{ productId: 'plat', quantity: 2, context: 'takeaway_later' },
				{ productId: 'biere', quantity: 1, context: 'takeaway_later' }
			],
			payments: [{ method: 'card' }],
			audience: 'member',
			till: '2',
			training: true
		});
		expect(r.tenderedCents).toBeNull();
	});
	it('a split leaves the empty part open (it pays the rest); tendered cash is read', () => {
		const r = parseSaleForm({ quantities: { plat: '1' }, context: 'on_site', pay: 'split', splitCash: '5', splitCard: '', tendered: '10' }, ids);
		expect(r.input.payments).toEqual([{ method: 'cash', amountCents: 500 }, { method: 'card' }]);
		expect(r.tenderedCents).toBe(1000);
	});
	it('names every field in error with an i18n key', () => {
		const e = (() => {
			try {
				parseSaleForm({ quantities: { plat: '0', biere: 'deux' }, context: 'dehors', audience: 'vip', pay: 'split', splitCash: 'x', tendered: '-1' }, ids);
			} catch (x) {
				return x as AppError;
			}
		})();
		expect(e).toBeInstanceOf(AppError);
		expect(e!.fields).toEqual({ context: 'field.invalid', 'qty-biere': 'till.quantity_invalid', audience: 'field.invalid', splitCash: 'till.amount_invalid', tendered: 'till.amount_invalid' });
		expect(() => parseSaleForm({ quantities: { plat: '', biere: '0' }, context: 'on_site', pay: 'cash' }, ids)).toThrow(expect.objectContaining({ fields: { lines: 'till.nothing_selected' } }));
		expect(() => parseSaleForm({ quantities: { plat: '1' }, context: 'on_site', pay: 'split' }, ids)).toThrow(expect.objectContaining({ fields: { splitCash: 'till.split_amount_required' } }));
		expect(() => parseSaleForm({ quantities: { plat: '1000' }, context: 'on_site', pay: 'cash' }, ids)).toThrow(expect.objectContaining({ fields: { 'qty-plat': 'till.quantity_invalid' } }));
	});
});

const lines = [
	buildLine({ productId: 'p1', label: 'Plat du jour', activity: 'cafe', quantity: 2, unitPriceCents: 1250, context: 'on_site', rate: { rateBp: 1000, outsideScope: false } }),
	buildLine({ productId: 'p2', label: 'Bière pression', activity: 'cafe', quantity: 1, unitPriceCents: 450, context: 'on_site', rate: { rateBp: 2000, outsideScope: false } })
];
const rec: ReceiptRecord = {
	id: 'r1',
	number: 42,
	series: 'main',
	training: false,
	kind: 'sale',
	correctsId: null,
	issuedAt: '2026-03-10T10:45:00.000Z',
	till: '1',
	operatorRef: 'user-123',
	lines,
	totals: totalsPerRate(lines),
	payments: [{ method: 'cash', amountCents: 2950 }],
	totalCents: 2950,
	hash: 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789'
};
const place = { name: 'La Tréso', address: '1 rue de la Paix, 92240 Malakoff', siret: '12345678900011', vatNumber: 'FR12345678900', timezone: 'Europe/Paris' };

describe('receipt view model', () => {
	it('carries every mention of a French till receipt, in the place’s zone', () => {
		const v = receiptView(rec, place, 'fr');
		expect(v.number).toBe('T-000042');
		expect(v.place).toEqual({ name: 'La Tréso', address: place.address, siret: '12345678900011', vatNumber: 'FR12345678900' });
		expect(v.dateTime).toContain('11:45:00'); // 10:45Z is 11:45 in Paris in March
		expect(v.dateTime).toContain('10/03/2026');
		expect(v.lines.map((l) => [l.label, l.quantity, l.rate])).toEqual([
			['Plat du jour', '2', '10\u00a0%'],
			['Bière pression', '1', '20\u00a0%']
		]);
		expect(v.rates).toEqual([
			{ rate: '10\u00a0%', ht: '22,73\u00a0€', vat: '2,27\u00a0€', ttc: '25,00\u00a0€' },
			{ rate: '20\u00a0%', ht: '3,75\u00a0€', vat: '0,75\u00a0€', ttc: '4,50\u00a0€' }
		]);
		expect(v.total).toBe('29,50\u00a0€');
		expect(v.totalVat).toBe('3,02\u00a0€');
		expect(v.payments[0].method).toBe('Espèces');
		expect(v.operator).toMatch(/^OP-[0-9A-F]{6}$/);
		expect(v.operator).not.toContain('user-123');
		expect(v.hashPrefix).toBe('abcdef0123456789');
		expect(v.mark).toBeNull();
	});
	it('training receipts are FACTICE with their own number prefix; corrections name the receipt they cancel', () => {
		const v = receiptView({ ...rec, training: true, number: 3 }, place, 'en');
		expect(v.mark).toBe('TRAINING (FACTICE)');
		expect(v.number).toBe('F-000003');
		const c = receiptView({ ...rec, kind: 'correction', correctsId: 'r0', number: 43 }, place, 'fr', { number: 42, series: 'main', training: false });
		expect(c.correctsNumber).toBe('T-000042');
		expect(c.title).toBe('Ticket d’annulation');
		expect(receiptText(c, 'fr')).toContain('Annule le ticket T-000042');
		expect(receiptText(v, 'en')[0]).toBe('*** TRAINING (FACTICE) ***');
	});
	it('small helpers', () => {
		expect(formatRate(550, 'fr')).toBe('5,5\u00a0%');
		expect(formatRate(550, 'en')).toBe('5.5%');
		expect(operatorAlias('a')).toBe(operatorAlias('a'));
		expect(operatorAlias('a')).not.toBe(operatorAlias('b'));
		expect(receiptNumber({ number: 7, series: 'main', training: false })).toBe('T-000007');
	});
});

describe('receipt PDF', () => {
	it('is a PDF one 80 mm page wide', async () => {
		const pdf = await receiptPdf(receiptView(rec, place, 'fr'), 'fr');
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
		expect(Number(box?.[1])).toBeCloseTo(WIDTH_80MM, 1);
		expect(WIDTH_80MM).toBeCloseTo(226.77, 1);
		expect(Number(box?.[2])).toBeGreaterThan(200);
		expect(Number(box?.[2])).toBeLessThan(1200);
	});
});
