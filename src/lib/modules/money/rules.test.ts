import { describe, expect, it } from 'vitest';
import { buildLine, canonicalJson, GENESIS_HASH, negateLines, receiptHash, resolveVatRate, settlePayments, splitTtc, sumRateTotals, totalsPerRate, type VatRateRow, type ReceiptPayload } from './rules';

// The rates seeded by drizzle/0004, plus a hypothetical rise of the on-site food rate from 2030-01-01.
const FR: VatRateRow[] = [
	{ category: 'food', context: 'on_site', rateBp: 1000, outsideScope: false, validFrom: '2014-01-01', validTo: null },
	{ category: 'food', context: 'takeaway_now', rateBp: 1000, outsideScope: false, validFrom: '2014-01-01', validTo: null },
	{ category: 'food', context: 'takeaway_later', rateBp: 550, outsideScope: false, validFrom: '2014-01-01', validTo: null },
	{ category: 'soft_drink', context: 'on_site', rateBp: 1000, outsideScope: false, validFrom: '2014-01-01', validTo: null },
	{ category: 'alcohol', context: 'any', rateBp: 2000, outsideScope: false, validFrom: '2014-01-01', validTo: null },
	{ category: 'machine_time', context: 'any', rateBp: 2000, outsideScope: false, validFrom: '2014-01-01', validTo: null },
	{ category: 'share', context: 'any', rateBp: 0, outsideScope: true, validFrom: '2014-01-01', validTo: null }
];
const withChange: VatRateRow[] = FR.map((r) => (r.category === 'food' && r.context === 'on_site' ? { ...r, validTo: '2029-12-31' } : r)).concat({
	category: 'food',
	context: 'on_site',
	rateBp: 1200,
	outsideScope: false,
	validFrom: '2030-01-01',
	validTo: null
});

describe('resolveVatRate', () => {
	it('applies the French rates by category and consumption context', () => {
		expect(resolveVatRate(FR, 'food', 'on_site', '2026-03-01')).toEqual({ rateBp: 1000, outsideScope: false });
		expect(resolveVatRate(FR, 'food', 'takeaway_now', '2026-03-01')?.rateBp).toBe(1000);
		expect(resolveVatRate(FR, 'food', 'takeaway_later', '2026-03-01')?.rateBp).toBe(550);
		expect(resolveVatRate(FR, 'alcohol', 'on_site', '2026-03-01')?.rateBp).toBe(2000);
		expect(resolveVatRate(FR, 'alcohol', 'takeaway_later', '2026-03-01')?.rateBp).toBe(2000);
		expect(resolveVatRate(FR, 'machine_time', 'on_site', '2026-03-01')?.rateBp).toBe(2000);
		expect(resolveVatRate(FR, 'share', 'on_site', '2026-03-01')).toEqual({ rateBp: 0, outsideScope: true });
	});
	it('prefers the exact context over "any"', () => {
		const rates: VatRateRow[] = [
			{ category: 'service', context: 'any', rateBp: 2000, outsideScope: false, validFrom: '2014-01-01', validTo: null },
			{ category: 'service', context: 'takeaway_later', rateBp: 550, outsideScope: false, validFrom: '2014-01-01', validTo: null }
		];
		expect(resolveVatRate(rates, 'service', 'takeaway_later', '2026-01-01')?.rateBp).toBe(550);
		expect(resolveVatRate([...rates].reverse(), 'service', 'takeaway_later', '2026-01-01')?.rateBp).toBe(550);
		expect(resolveVatRate(rates, 'service', 'on_site', '2026-01-01')?.rateBp).toBe(2000);
	});
	it('a rate change applies from its validity date and never rewrites earlier sales', () => {
		expect(resolveVatRate(withChange, 'food', 'on_site', '2029-12-31')?.rateBp).toBe(1000);
		expect(resolveVatRate(withChange, 'food', 'on_site', '2030-01-01')?.rateBp).toBe(1200);
		expect(resolveVatRate(withChange, 'food', 'takeaway_later', '2030-01-01')?.rateBp).toBe(550);
		// a receipt line keeps the rate it was built with: re-resolving later changes nothing already recorded
		const line = buildLine({ productId: 'p', label: 'Plat', activity: 'cafe', quantity: 1, unitPriceCents: 1200, context: 'on_site', rate: resolveVatRate(withChange, 'food', 'on_site', '2029-06-01')! });
		expect(line.rateBp).toBe(1000);
		expect(line.vatCents).toBe(109);
	});
	it('is undefined before any validity or for an unknown category', () => {
		expect(resolveVatRate(FR, 'food', 'on_site', '2013-12-31')).toBeUndefined();
		expect(resolveVatRate(FR, 'room', 'on_site', '2026-01-01')).toBeUndefined();
	});
});

describe('splitTtc', () => {
	it('computes VAT from the VAT-included amount, rounding half up', () => {
		expect(splitTtc(1100, 1000)).toEqual({ ht: 1000, vat: 100 });
		expect(splitTtc(1200, 2000)).toEqual({ ht: 1000, vat: 200 });
		expect(splitTtc(450, 2000)).toEqual({ ht: 375, vat: 75 });
		expect(splitTtc(211, 550)).toEqual({ ht: 200, vat: 11 }); // 11.0 exactly
		expect(splitTtc(1, 2000)).toEqual({ ht: 1, vat: 0 }); // 0.1667 -> 0
		expect(splitTtc(3, 2000)).toEqual({ ht: 2, vat: 1 }); // 0.5 -> 1 (half up)
		expect(splitTtc(5, 1000)).toEqual({ ht: 5, vat: 0 }); // 0.4545 -> 0
		expect(splitTtc(0, 1000)).toEqual({ ht: 0, vat: 0 });
		expect(splitTtc(999, 0)).toEqual({ ht: 999, vat: 0 });
	});
	it('ht + vat always equals the amount, and a negative amount mirrors the positive one', () => {
		const bad: string[] = [];
		for (const rate of [0, 550, 1000, 2000])
			for (let ttc = 0; ttc < 5000; ttc++) {
				const { ht, vat } = splitTtc(ttc, rate);
				const exact = (ttc * rate) / (10000 + rate);
				const neg = splitTtc(-ttc, rate);
				if (ht + vat !== ttc) bad.push(`sum ${ttc}@${rate}`);
				if (Math.abs(vat - exact) > 0.5 || (Math.abs(vat - exact) === 0.5 && vat < exact)) bad.push(`round ${ttc}@${rate}`);
				if (neg.vat !== -vat || neg.ht !== -ht) bad.push(`mirror ${ttc}@${rate}`);
			}
		expect(bad).toEqual([]);
	});
	it('refuses floats and impossible rates', () => {
		expect(() => splitTtc(10.5, 1000)).toThrow(RangeError);
		expect(() => splitTtc(10, 10000)).toThrow(RangeError);
		expect(() => splitTtc(10, -1)).toThrow(RangeError);
	});
});

describe('sale totals', () => {
	const rate = (r: number) => ({ rateBp: r, outsideScope: false });
	it('two dishes on site at 10 % and a beer at 20 %', () => {
		const lines = [
			buildLine({ productId: 'plat', label: 'Plat du jour', activity: 'cafe', quantity: 2, unitPriceCents: 1250, context: 'on_site', rate: rate(1000) }),
			buildLine({ productId: 'biere', label: 'Bière pression', activity: 'cafe', quantity: 1, unitPriceCents: 450, context: 'on_site', rate: rate(2000) })
		];
		expect(lines[0]).toMatchObject({ totalCents: 2500, vatCents: 227, htCents: 2273 });
		expect(totalsPerRate(lines)).toEqual([
			{ rateBp: 1000, outsideScope: false, htCents: 2273, vatCents: 227, ttcCents: 2500 },
			{ rateBp: 2000, outsideScope: false, htCents: 375, vatCents: 75, ttcCents: 450 }
		]);
	});
	it('keeps outside-scope amounts apart from a 0 % rate and after taxed ones', () => {
		const lines = [
			buildLine({ productId: 's', label: 'Part sociale', activity: 'shares', quantity: 1, unitPriceCents: 5000, context: 'on_site', rate: { rateBp: 0, outsideScope: true } }),
			buildLine({ productId: 'c', label: 'Café', activity: 'cafe', quantity: 1, unitPriceCents: 150, context: 'on_site', rate: rate(1000) })
		];
		const t = totalsPerRate(lines);
		expect(t.map((x) => [x.rateBp, x.outsideScope, x.ttcCents])).toEqual([
			[1000, false, 150],
			[0, true, 5000]
		]);
	});
	it('a correction cancels its sale exactly in the sums', () => {
		const lines = [buildLine({ productId: 'plat', label: 'Plat', activity: 'cafe', quantity: 3, unitPriceCents: 1333, context: 'on_site', rate: rate(1000) })];
		const sum = sumRateTotals([totalsPerRate(lines), totalsPerRate(negateLines(lines))]);
		expect(sum).toEqual([{ rateBp: 1000, outsideScope: false, htCents: 0, vatCents: 0, ttcCents: 0 }]);
	});
});

describe('settlePayments', () => {
	it('a single payment without amount pays the total', () => {
		expect(settlePayments(2950, [{ method: 'cash' }])).toEqual([{ method: 'cash', amountCents: 2950 }]);
	});
	it('one open payment pays the rest of a split payment', () => {
		expect(settlePayments(2950, [{ method: 'card', amountCents: 2000 }, { method: 'cash' }])).toEqual([
			{ method: 'card', amountCents: 2000 },
			{ method: 'cash', amountCents: 950 }
		]);
	});
	it('refuses payments that do not add up', () => {
		expect(settlePayments(2950, [{ method: 'cash', amountCents: 2000 }])).toBeUndefined();
		expect(settlePayments(2950, [{ method: 'cash', amountCents: 3000 }])).toBeUndefined();
		expect(settlePayments(2950, [{ method: 'card', amountCents: 3000 }, { method: 'cash' }])).toBeUndefined();
		expect(settlePayments(2950, [{ method: 'card', amountCents: 2950 }, { method: 'cash' }])).toBeUndefined();
		expect(settlePayments(2950, [{ method: 'card' }, { method: 'cash' }])).toBeUndefined();
		expect(settlePayments(2950, [])).toBeUndefined();
	});
	it('accepts exact amounts', () => {
		expect(settlePayments(2950, [{ method: 'card', amountCents: 950 }, { method: 'cheque', amountCents: 2000 }])).toHaveLength(2);
	});
});

describe('canonical JSON and the receipt hash', () => {
	it('sorts keys recursively and drops undefined', () => {
		expect(canonicalJson({ b: 1, a: { d: [1, { y: 'é', x: null }], c: true }, u: undefined })).toBe('{"a":{"c":true,"d":[1,{"x":null,"y":"é"}]},"b":1}');
	});
	const base: ReceiptPayload = {
		placeId: 'pl',
		series: 'main',
		training: false,
		number: 1,
		kind: 'sale',
		correctsId: null,
		issuedAt: new Date('2026-03-01T11:22:33.456Z'),
		till: '1',
		operatorRef: 'u1',
		lines: [],
		totals: [],
		payments: [{ method: 'cash', amountCents: 100 }],
		totalCents: 100
	};
	it('is SHA-256 hex of previous hash + canonical payload, stable whatever the key order', () => {
		const h = receiptHash(GENESIS_HASH, base);
		expect(h).toMatch(/^[0-9a-f]{64}$/);
		const reordered = Object.fromEntries(Object.entries(base).reverse()) as unknown as ReceiptPayload;
		expect(receiptHash(GENESIS_HASH, reordered)).toBe(h);
		expect(receiptHash(GENESIS_HASH, { ...base, issuedAt: '2026-03-01T11:22:33.456Z' })).toBe(h);
	});
	it('changes with any covered field and with the previous hash', () => {
		const h = receiptHash(GENESIS_HASH, base);
		expect(receiptHash('1'.repeat(64), base)).not.toBe(h);
		expect(receiptHash(GENESIS_HASH, { ...base, totalCents: 101 })).not.toBe(h);
		expect(receiptHash(GENESIS_HASH, { ...base, training: true })).not.toBe(h);
		expect(receiptHash(GENESIS_HASH, { ...base, number: 2 })).not.toBe(h);
		expect(receiptHash(GENESIS_HASH, { ...base, issuedAt: new Date('2026-03-01T11:22:33.457Z') })).not.toBe(h);
		expect(receiptHash(GENESIS_HASH, { ...base, payments: [{ method: 'card', amountCents: 100 }] })).not.toBe(h);
	});
});
