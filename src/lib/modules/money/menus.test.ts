// Set menus: splitting a menu price across its components (ventilation), exactly and deterministically.
import { describe, expect, it } from 'vitest';
import { allocateMenu, buildLine, totalsPerRate } from './rules';

describe('allocateMenu', () => {
	it('splits in proportion to the components’ own prices, adding up to the menu price', () => {
		// Plat 12,50 + bière 4,50 sold together at 15,00.
		expect(allocateMenu(1500, [1250, 450])).toEqual([1103, 397]);
		expect(allocateMenu(1000, [1, 1, 1])).toEqual([334, 333, 333]);
	});

	it('splits evenly when every component is free on its own', () => {
		expect(allocateMenu(900, [0, 0])).toEqual([450, 450]);
	});

	it('always adds up exactly, whatever the weights', () => {
		let seed = 7;
		const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
		for (let k = 0; k < 500; k++) {
			const weights = Array.from({ length: 1 + rnd(6) }, () => rnd(5000));
			const price = rnd(100_000);
			const shares = allocateMenu(price, weights);
			expect(shares.reduce((s, x) => s + x, 0)).toBe(price);
			expect(shares.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
		}
	});

	it('refuses what it cannot split', () => {
		expect(() => allocateMenu(100, [])).toThrow(RangeError);
		expect(() => allocateMenu(-1, [1])).toThrow(RangeError);
		expect(() => allocateMenu(100, [1.5])).toThrow(RangeError);
	});

	it('taxes each share at its component’s rate', () => {
		const [plat, biere] = allocateMenu(1500, [1250, 450]);
		const lines = [
			buildLine({ productId: 'p', label: 'Formule — Plat', activity: 'cafe', quantity: 2, unitPriceCents: plat, context: 'on_site', rate: { rateBp: 1000, outsideScope: false }, menu: { productId: 'm', label: 'Formule' } }),
			buildLine({ productId: 'b', label: 'Formule — Bière', activity: 'cafe', quantity: 2, unitPriceCents: biere, context: 'on_site', rate: { rateBp: 2000, outsideScope: false }, menu: { productId: 'm', label: 'Formule' } })
		];
		expect(lines[0].menu).toEqual({ productId: 'm', label: 'Formule' });
		expect(totalsPerRate(lines)).toEqual([
			{ rateBp: 1000, outsideScope: false, htCents: 2005, vatCents: 201, ttcCents: 2206 },
			{ rateBp: 2000, outsideScope: false, htCents: 662, vatCents: 132, ttcCents: 794 }
		]);
	});
});

describe('amounts typed in euros', () => {
	it('reads the ways people write euros into cents', async () => {
		const { parseEurosToCents, centsToEurosInput } = await import('./rules');
		expect(['12', '12,5', '12,50', '12.50', ' 1 250,00 € ', '0,05', ''].map(parseEurosToCents)).toEqual([1200, 1250, 1250, 1250, 125000, 5, undefined]);
		expect(['-3', '1,234', 'abc', '12,', '1e3', '12 ,5x'].map(parseEurosToCents)).toEqual([null, null, null, null, null, null]);
		expect([centsToEurosInput(1250), centsToEurosInput(5, '.'), centsToEurosInput(undefined)]).toEqual(['12,50', '0.05', '']);
	});
});
