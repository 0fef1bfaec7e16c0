import { describe, expect, it } from 'vitest';
import { parseTypedAmount, splitMinutes } from './checkout-rules';

describe('parseTypedAmount', () => {
	it('reads euros with a comma or a dot into cents', () => {
		expect(parseTypedAmount('5,50', 'cents')).toBe(550);
		expect(parseTypedAmount('12.5', 'cents')).toBe(1250);
		expect(parseTypedAmount(' 20 € ', 'cents')).toBe(2000);
		expect(parseTypedAmount('0,05', 'cents')).toBe(5);
	});
	it('accepts a sign only when asked', () => {
		expect(parseTypedAmount('-2', 'cents', { signed: true })).toBe(-200);
		expect(parseTypedAmount('-2', 'cents')).toBeUndefined();
		expect(parseTypedAmount('-30', 'minutes', { signed: true })).toBe(-30);
	});
	it('refuses what is not an amount', () => {
		for (const bad of ['', 'abc', '1,234', '1e3', '12,', 'NaN', '--1', '1.5']) expect(parseTypedAmount(bad, bad === '1.5' ? 'minutes' : 'cents')).toBeUndefined();
		expect(parseTypedAmount(undefined, 'cents')).toBeUndefined();
		expect(parseTypedAmount(12 as unknown, 'cents')).toBeUndefined();
	});
});

describe('splitMinutes', () => {
	it('splits into hours and minutes', () => {
		expect(splitMinutes(600)).toEqual({ h: 10, m: 0 });
		expect(splitMinutes(95)).toEqual({ h: 1, m: 35 });
		expect(splitMinutes(-90)).toEqual({ h: -1, m: 30 });
	});
});

describe('payment methods of the checkout in closures', () => {
	it('sumPayments keeps the counter methods first, then online and wallet', async () => {
		const { sumPayments } = await import('./rules');
		expect(
			sumPayments([
				[{ method: 'wallet', amountCents: 300 }],
				[{ method: 'online', amountCents: 1000 }],
				[{ method: 'cash', amountCents: 200 }],
				[{ method: 'online', amountCents: -100 }]
			])
		).toEqual([
			{ method: 'cash', amountCents: 200 },
			{ method: 'online', amountCents: 900 },
			{ method: 'wallet', amountCents: 300 }
		]);
	});
});
